package io.tsunagu.agent.command;

/**
 * How one action ended: executed, or failed with a machine-readable reason (reported as {@code CommandResult.reason},
 * e.g. {@code not_plugged_in}) and a human-readable message.
 */
public sealed interface ActionOutcome {
    /** A stored command whose execution was cut short by a restart of the agent. */
    String INTERRUPTED = "interrupted";
    /** The in-car confirmation of a {@code keys.pair} was declined. */
    String PAIRING_DECLINED = "pairing_declined";
    /** The in-car confirmation of a fleet-signed {@code keys.revoke} was declined. */
    String REVOCATION_DECLINED = "revocation_declined";
    /** The car does not know the action. */
    String UNSUPPORTED_ACTION = "unsupported_action";
    /** A parameter is missing or out of range. */
    String INVALID_PARAMS = "invalid_params";
    /** The actuator threw: a bug or a hardware fault. */
    String ACTUATOR_ERROR = "actuator_error";

    /** The action took effect. */
    record Executed(String message) implements ActionOutcome {}

    /** The action did not take effect. */
    record Failed(String reason, String message) implements ActionOutcome {}

    static ActionOutcome executed() {
        return new Executed("");
    }

    static ActionOutcome executed(String message) {
        return new Executed(message);
    }

    static ActionOutcome failed(String reason, String message) {
        return new Failed(reason, message);
    }
}
