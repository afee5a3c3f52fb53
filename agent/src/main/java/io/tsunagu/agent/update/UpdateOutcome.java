package io.tsunagu.agent.update;

import java.util.Optional;

/**
 * How an update action ended on the car, remembered durably (the last {@value AbUpdateSystem#REMEMBERED_OUTCOMES})
 * so that the update client can answer a repeated deployment without installing again.
 *
 * @param actionId the action
 * @param ecu the ECU
 * @param kind {@link StepKind#COMMITTED}, {@link StepKind#ROLLED_BACK} or {@link StepKind#FAILED}
 * @param version the version the action tried to install
 * @param reason why it rolled back or failed (see {@link UpdateStep#reason()})
 */
public record UpdateOutcome(
        UpdateActionId actionId, EcuSerial ecu, StepKind kind, String version, Optional<String> reason) {
    /** True if the car runs the new version. */
    public boolean succeeded() {
        return kind == StepKind.COMMITTED;
    }
}
