package io.tsunagu.server.update.rollout;

import io.tsunagu.protocol.Vin;
import java.util.List;
import java.util.Optional;

/**
 * The device side of rollouts, what the hawkBit DDI resources ({@code io.tsunagu.server.update.ddi}) and the agent's
 * update client build on. A car sees only its own actions: an id of another car's action reads as empty or {@code
 * action_not_found}, never as someone else's.
 *
 * <p>DDI mapping: a poll shows {@link #openAction}: {@code deploymentBase/{id}} when it is running, {@code
 * cancelAction/{id}} when {@link UpdateAction#cancelRequested()}. {@code deploymentBase/{id}/feedback} calls {@link
 * #feedback}, {@code cancelAction/{id}/feedback} calls {@link #cancelFeedback}, {@code installedBase} reads {@link
 * #installedBase}, {@code ?actionHistory=N} reads {@link #history}.
 *
 * <p>Thread-safe; every method is durable when it returns.
 */
public interface DeviceActions {
    /**
     * The action the car should work on now: the oldest offered, downloading, downloaded, installing or canceling one.
     * Scheduled and pending actions are not shown: the campaign has not released them yet.
     */
    Optional<DeviceAction> openAction(Vin vin);

    /** Any action of this car that was offered to it (final ones included); empty for scheduled or pending ones. */
    Optional<DeviceAction> action(Vin vin, long actionId);

    /**
     * Records a device report on a running action (DDI {@code deploymentBase/{id}/feedback}). Mapping: {@code download}
     * → downloading; {@code downloaded} → downloaded; {@code proceeding}/{@code resumed} → downloading if offered,
     * installing if downloaded, else unchanged; {@code closed}+{@code success} → success (and the installed base);
     * {@code closed}+{@code failure} → failure; {@code scheduled}, {@code rejected} → history only. States never move
     * backwards; a report on a final action changes nothing ({@link FeedbackOutcome#changed()} false).
     *
     * @throws RolloutException {@code action_not_found} (not this car's, or never offered); {@code invalid_feedback}
     *     ({@code closed} with {@code none}, {@code success}/{@code failure} without {@code closed}); {@code
     *     action_canceling} (conflict: a cancel is pending, answer through {@link #cancelFeedback}); {@code
     *     not_canceling} (conflict: {@code canceled} without a cancel request)
     */
    FeedbackOutcome feedback(Vin vin, long actionId, Feedback feedback);

    /**
     * The car's answer to a cancel request (DDI {@code cancelAction/{id}/feedback}): {@code canceled}, or {@code closed}
     * + {@code success}, confirms (→ cancelled); {@code rejected}, or {@code closed} + {@code failure}, rejects (the
     * action returns to its state before the request); anything else is history only.
     *
     * @throws RolloutException {@code action_not_found}; {@code not_canceling} (conflict) if no cancel is pending and
     *     the action is not already cancelled
     */
    FeedbackOutcome cancelFeedback(Vin vin, long actionId, Feedback feedback);

    /** The distribution of the car's last successful action, if any. */
    Optional<InstalledBase> installedBase(Vin vin);

    /** The action's status history, oldest first, at most {@code limit} newest entries; empty if not this car's. */
    List<ActionStatusEntry> history(Vin vin, long actionId, int limit);
}
