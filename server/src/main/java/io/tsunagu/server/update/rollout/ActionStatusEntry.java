package io.tsunagu.server.update.rollout;

import java.time.Instant;
import java.util.List;

/**
 * One entry of an action's status history (hawkBit: action status), newest last.
 *
 * @param state the action's state after the event
 * @param event what happened: {@code created}, {@code released}, {@code offered}, {@code cancel_requested}, {@code
 *     cancelled}, {@code cancel_rejected}, or {@code feedback:<execution>} for a device report
 * @param messages the device's details (and progress as {@code progress <cnt>/<of>}), or the server's note
 */
public record ActionStatusEntry(Instant at, ActionState state, String event, List<String> messages) {
    public ActionStatusEntry {
        messages = List.copyOf(messages);
    }
}
