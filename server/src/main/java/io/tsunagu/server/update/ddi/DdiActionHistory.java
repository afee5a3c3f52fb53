package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * {@code actionHistory}, present only when the device asks with {@code ?actionHistory=N}: the action's current status
 * and the newest status messages, newest first (as hawkBit orders them).
 *
 * @param status the action's status in hawkBit's words, e.g. {@code RUNNING}, {@code FINISHED}, {@code CANCELING}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiActionHistory(String status, List<String> messages) {
    public DdiActionHistory {
        DdiChecks.require(status, "status");
        messages = DdiChecks.copy(messages);
    }
}
