package io.tsunagu.agent.update;

import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.internal.UpdateStore;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The durable queue of update steps for the cloud. Steps enter it in the same fsynced transaction as the state change
 * they report (so no step is lost and none is reported before it happened), stay until {@link #acknowledged}, and
 * survive restarts and reboots. Delivery is at least once, in sequence order within one {@link #flush}; the cloud
 * de-duplicates by {@link UpdateStep#stepId()}. Thread-safe.
 */
public final class UpdateOutbox {
    private final Supplier<UpdateStore> store;
    private final Set<Long> inFlight = new HashSet<>();

    UpdateOutbox(Supplier<UpdateStore> store) {
        this.store = store;
    }

    /** Steps not yet acknowledged, oldest first. */
    public List<UpdateStep> pending() {
        return store.get().pending();
    }

    /** The cloud has the step with sequence number {@code seq}; forget it. Unknown numbers are ignored. */
    public void acknowledged(long seq) {
        store.get().acknowledged(seq);
    }

    /**
     * Durably queues a step the update client observed before the A/B system got the image: {@link
     * StepKind#DOWNLOADING}, {@link StepKind#DOWNLOADED}, or {@link StepKind#FAILED} (e.g. {@code verification_failed: bad signature}), which also
     * remembers the action's {@link UpdateOutcome}.
     *
     * @throws AgentException {@code invalid_update_step} for any other kind: those belong to the A/B system
     */
    public UpdateStep record(
            UpdateActionId actionId, EcuSerial ecu, StepKind kind, String version, Optional<String> reason) {
        var tx = store.get().transaction();
        switch (kind) {
            case DOWNLOADING, DOWNLOADED -> tx.step(actionId, ecu, kind, version, reason);
            case FAILED -> tx.finish(new UpdateOutcome(actionId, ecu, kind, version, reason));
            default ->
                throw new AgentException(
                        "invalid_update_step",
                        "only downloading, downloaded and failed are recorded by the client, not " + kind,
                        false);
        }
        return tx.commit().getFirst();
    }

    /**
     * Sends every pending step that is not already being sent, one after the other in sequence order, and
     * acknowledges each when the reporter completes it. The returned future completes when all were delivered, or
     * exceptionally at the first failure (that step and the rest stay pending for the next flush).
     */
    public CompletableFuture<Void> flush(UpdateReporter reporter) {
        List<UpdateStep> batch = claim();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (UpdateStep step : batch) {
            chain = chain.thenCompose(ignored -> send(reporter, step)).thenRun(() -> acknowledged(step.seq()));
        }
        return chain.whenComplete((ignored, error) -> release(batch));
    }

    private static CompletableFuture<Void> send(UpdateReporter reporter, UpdateStep step) {
        try {
            return reporter.report(step).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e); // a reporter must not throw; treat it as a failed send
        }
    }

    private synchronized List<UpdateStep> claim() {
        List<UpdateStep> batch =
                pending().stream().filter(s -> !inFlight.contains(s.seq())).toList();
        batch.forEach(s -> inFlight.add(s.seq()));
        return batch;
    }

    private synchronized void release(List<UpdateStep> batch) {
        batch.forEach(s -> inFlight.remove(s.seq()));
    }
}
