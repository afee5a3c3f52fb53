package io.tsunagu.agent.update;

import io.tsunagu.agent.AgentException;
import java.util.regex.Pattern;

/**
 * The cloud's identifier of one update action for this car (hawkBit DDI: the {@code actionId} of a {@code
 * deploymentBase}; Uptane: the director's targets metadata version or a campaign-assigned id). Every reported step
 * carries it. 1 to 64 characters from {@code A-Z a-z 0-9 . _ : -}.
 */
public record UpdateActionId(String value) {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public UpdateActionId {
        if (!ALLOWED.matcher(value).matches()) {
            throw new AgentException(
                    "invalid_update_action_id", "update action id must be 1-64 of A-Z a-z 0-9 . _ : -", false);
        }
    }

    /** Parses and validates an action id. */
    public static UpdateActionId of(String raw) {
        return new UpdateActionId(raw.trim());
    }

    @Override
    public String toString() {
        return value;
    }
}
