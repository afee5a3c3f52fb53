package io.tsunagu.agent.update;

import java.util.concurrent.CompletionStage;

/**
 * Sends update steps to the cloud (the wire side: MQTT or hawkBit DDI feedback). The {@link UpdateOutbox} calls it
 * for each pending step, in order, and removes a step only when the returned stage completes normally; a failed stage
 * keeps the step (and the ones after it) for the next flush. Delivery is at least once: a step whose completion was
 * lost to a crash is sent again with the same {@link UpdateStep#stepId()}.
 */
@FunctionalInterface
public interface UpdateReporter {
    /**
     * Sends one step; complete the stage once the cloud has it (e.g. on the PUBACK). Never throw: fail the stage.
     */
    CompletionStage<Void> report(UpdateStep step);
}
