package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code GET .../cancelAction/{actionId}}: the server asks the device to stop an action. hawkBit's {@code stopId} is
 * the id of the action to stop, which is the same action; suricatta sends its cancel feedback to {@code
 * <cancelAction href>/feedback}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiCancel(String id, DdiCancelActionToStop cancelAction) {
    public DdiCancel {
        DdiChecks.require(id, "id");
        DdiChecks.require(cancelAction, "cancelAction");
    }

    /** The cancel of action {@code actionId}. */
    public static DdiCancel of(long actionId) {
        return new DdiCancel(Long.toString(actionId), new DdiCancelActionToStop(Long.toString(actionId)));
    }

    /** {@code cancelAction}: which action to stop. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DdiCancelActionToStop(String stopId) {
        public DdiCancelActionToStop {
            DdiChecks.require(stopId, "stopId");
        }
    }
}
