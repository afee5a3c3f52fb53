package io.tsunagu.agent.command;

import java.util.Map;

/**
 * Carries out a verified command on the car's hardware (or a simulated car). Called one command at a time, in arrival
 * order, on the agent's command thread; it should return quickly (start the action, do not wait for a long process
 * such as charging to finish). Key management actions ({@code keys.*}) never reach it.
 */
@FunctionalInterface
public interface ActuatorHandler {
    /**
     * @param action e.g. {@code doors.lock}, see {@link CommandActions}
     * @param params the command's parameters, values as strings (parse and validate them here)
     * @return executed, or failed with a reason such as {@link ActionOutcome#INVALID_PARAMS}
     */
    ActionOutcome execute(String action, Map<String, String> params);

    /** A car without actuators: every action fails with {@link ActionOutcome#UNSUPPORTED_ACTION}. */
    static ActuatorHandler unsupported() {
        return (action, params) ->
                ActionOutcome.failed(ActionOutcome.UNSUPPORTED_ACTION, "this car cannot execute '" + action + "'");
    }
}
