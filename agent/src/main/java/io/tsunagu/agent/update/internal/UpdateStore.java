package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.EcuSerial;
import io.tsunagu.agent.update.StepKind;
import io.tsunagu.agent.update.UpdateActionId;
import io.tsunagu.agent.update.UpdateOutcome;
import io.tsunagu.agent.update.UpdateStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state of the car's A/B systems in one H2 MVStore file: the boot-control record per ECU, the outbox of
 * steps not yet acknowledged by the cloud, and the outcomes of recent actions.
 *
 * <p>Durability: a {@link Transaction} is one MVStore commit followed by {@link MVStore#sync()} (forced to the
 * device), so a slot switch and the step that reports it become durable together or not at all; MVStore is
 * copy-on-write and opens at the last complete commit after a crash (see {@code DiskBuffer}). Removing an
 * acknowledged step only commits: losing that re-sends a step the cloud de-duplicates by its step id. Thread-safe.
 */
public final class UpdateStore implements AutoCloseable {
    /** Steps kept for the cloud at most; beyond it the oldest is dropped with a WARN (a car offline for months). */
    static final int MAX_OUTBOX = 10_000;
    /** Action outcomes remembered. */
    public static final int MAX_OUTCOMES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(UpdateStore.class);
    private static final String NEXT_STEP = "nextStep";
    private static final String NEXT_OUTCOME = "nextOutcome";

    private final MVStore store;
    private final Clock clock;
    private final MVMap<String, String> bootControl;
    private final MVMap<Long, String> outbox;
    private final MVMap<String, String> outcomes;
    private final MVMap<Long, String> outcomeOrder;
    private final MVMap<String, Long> meta;

    private UpdateStore(MVStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.bootControl = store.openMap("bootControl");
        this.outbox = store.openMap("outbox");
        this.outcomes = store.openMap("outcomes");
        this.outcomeOrder = store.openMap("outcomeOrder");
        this.meta = store.openMap("meta");
    }

    /** Opens (or creates) the store file; parent folders are created. */
    public static UpdateStore open(Path file, Clock clock) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            MVStore store = new MVStore.Builder()
                    .fileName(file.toString())
                    .autoCommitDisabled() // every change is an explicit, synced transaction
                    .open();
            return new UpdateStore(store, clock);
        } catch (IOException | MVStoreException e) {
            throw new AgentException(
                    "update_store_open_failed", "cannot open update store " + file + ": " + e, true, e);
        }
    }

    /** The boot-control record of {@code ecu}, if the ECU was provisioned. */
    public synchronized Optional<BootControl> bootControl(EcuSerial ecu) {
        ensureOpen();
        return Optional.ofNullable(bootControl.get(ecu.value())).map(UpdateJson::bootControl);
    }

    /** A new, empty transaction. */
    public Transaction transaction() {
        return new Transaction();
    }

    /** Steps not yet acknowledged, oldest first. */
    public synchronized List<UpdateStep> pending() {
        ensureOpen();
        List<UpdateStep> out = new ArrayList<>();
        outbox.values().forEach(json -> out.add(UpdateJson.step(json)));
        return out;
    }

    /** The cloud has the step with outbox sequence number {@code seq}: forget it (committed without a sync). */
    public synchronized void acknowledged(long seq) {
        if (!store.isClosed() && outbox.remove(seq) != null) {
            store.commit();
        }
    }

    /** How action {@code actionId} ended on {@code ecu}, if it ended and is still remembered. */
    public synchronized Optional<UpdateOutcome> outcome(UpdateActionId actionId, EcuSerial ecu) {
        ensureOpen();
        return Optional.ofNullable(outcomes.get(outcomeKey(actionId, ecu))).map(UpdateJson::outcome);
    }

    private synchronized List<UpdateStep> apply(Transaction tx) {
        ensureOpen();
        tx.controls.forEach((ecu, bc) -> bootControl.put(ecu.value(), UpdateJson.bootControl(bc)));
        List<UpdateStep> added = new ArrayList<>();
        long atMs = clock.millis();
        for (PlannedStep planned : tx.steps) {
            long seq = meta.getOrDefault(NEXT_STEP, 1L);
            meta.put(NEXT_STEP, seq + 1);
            UpdateStep step = planned.toStep(seq, atMs);
            outbox.put(seq, UpdateJson.step(step));
            added.add(step);
        }
        tx.outcomes.forEach(this::remember);
        trimOutbox();
        store.commit();
        store.sync();
        return added;
    }

    private void remember(UpdateOutcome outcome) {
        long seq = meta.getOrDefault(NEXT_OUTCOME, 1L);
        meta.put(NEXT_OUTCOME, seq + 1);
        String key = outcomeKey(outcome.actionId(), outcome.ecu());
        outcomes.put(key, UpdateJson.outcome(outcome));
        outcomeOrder.put(seq, key);
        while (outcomeOrder.sizeAsLong() > MAX_OUTCOMES) {
            Long oldest = outcomeOrder.firstKey();
            outcomes.remove(outcomeOrder.remove(oldest));
        }
    }

    private void trimOutbox() {
        while (outbox.sizeAsLong() > MAX_OUTBOX) {
            outbox.remove(outbox.firstKey());
            LOG.warn("update step outbox full ({}): dropped the oldest unacknowledged step", MAX_OUTBOX);
        }
    }

    /** A closed store is a car that is rebooting or shut down: try again after the reboot. */
    private void ensureOpen() {
        if (store.isClosed()) {
            throw new AgentException("update_store_closed", "the A/B system is rebooting or closed", true);
        }
    }

    private static String outcomeKey(UpdateActionId actionId, EcuSerial ecu) {
        return actionId.value() + "/" + ecu.value();
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }

    private record PlannedStep(
            UpdateActionId actionId, EcuSerial ecu, StepKind kind, String version, Optional<String> reason) {
        UpdateStep toStep(long seq, long atMs) {
            return new UpdateStep(seq, actionId.value() + "/" + seq, actionId, ecu, kind, version, reason, atMs);
        }
    }

    /** Changes that become durable together in {@link #commit()}: boot-control records, steps and outcomes. */
    public final class Transaction {
        private final Map<EcuSerial, BootControl> controls = new LinkedHashMap<>();
        private final List<PlannedStep> steps = new ArrayList<>();
        private final List<UpdateOutcome> outcomes = new ArrayList<>();

        private Transaction() {}

        /** Replaces the boot-control record of {@code ecu}. */
        public Transaction put(EcuSerial ecu, BootControl bc) {
            controls.put(ecu, bc);
            return this;
        }

        /** Queues a step for the cloud; its sequence number and time are assigned on commit. */
        public Transaction step(
                UpdateActionId actionId, EcuSerial ecu, StepKind kind, String version, Optional<String> reason) {
            steps.add(new PlannedStep(actionId, ecu, kind, version, reason));
            return this;
        }

        /** Queues the final step of an action and remembers its outcome. */
        public Transaction finish(UpdateOutcome outcome) {
            outcomes.add(outcome);
            return step(outcome.actionId(), outcome.ecu(), outcome.kind(), outcome.version(), outcome.reason());
        }

        /** Makes everything durable at once (commit and fsync); returns the steps as queued. */
        public List<UpdateStep> commit() {
            return apply(this);
        }
    }
}
