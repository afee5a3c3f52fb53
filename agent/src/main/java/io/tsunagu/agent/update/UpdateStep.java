package io.tsunagu.agent.update;

import java.util.Optional;

/**
 * One reported step of an update action, as it waits in the {@link UpdateOutbox}.
 *
 * @param seq the outbox sequence number: per car, starts at 1, only grows (also across restarts); gives the order
 * @param stepId stable identifier of this step ({@code <actionId>/<seq>}); re-deliveries carry the same id so the
 *     cloud can de-duplicate
 * @param actionId the update action
 * @param ecu the ECU the step concerns
 * @param kind what happened
 * @param version the software version the action installs
 * @param reason for {@link StepKind#FAILED} and {@link StepKind#ROLLED_BACK}: a stable code, optionally with a
 *     detail after a colon (e.g. {@code interrupted}, {@code health_check_failed: service x did not start})
 * @param atMs when the car recorded the step, epoch milliseconds UTC
 */
public record UpdateStep(
        long seq,
        String stepId,
        UpdateActionId actionId,
        EcuSerial ecu,
        StepKind kind,
        String version,
        Optional<String> reason,
        long atMs) {}
