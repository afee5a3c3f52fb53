package io.tsunagu.agent.update;

import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.internal.BootControl;
import io.tsunagu.agent.update.internal.BootSequence;
import io.tsunagu.agent.update.internal.SlotFiles;
import io.tsunagu.agent.update.internal.SlotRecord;
import io.tsunagu.agent.update.internal.SlotState;
import io.tsunagu.agent.update.internal.UpdateStore;
import io.tsunagu.protocol.TsunaguException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The car's simulated A/B systems, one per ECU: the part of an update after download and verification.
 *
 * <p>{@link #boot} is the power-on: it provisions new ECUs, recovers from an interrupted install and resolves a
 * pending trial (health check, then commit or rollback), so that afterwards every ECU runs a working, committed
 * slot. {@link #install} writes a verified image into the inactive slot, checks its SHA-256, marks it as the trial
 * slot, reboots (closes everything and boots again from disk, as a real reboot would) and returns how the action
 * ended. Every step is reported through the {@link #outbox()}; {@link #installed} is what the car truly runs (the
 * installed base for the cloud, the current version for the Uptane rollback check).
 *
 * <p>Crash safety: each transition is one fsynced transaction of the {@link UpdateStore}; the active slot is never
 * written. Killed while writing: the next boot discards the slot and reports {@code failed(interrupted)}. Killed
 * after the switch: the next boot boots the trial and resolves it. Thread-safe; installs are serialized.
 */
public final class AbUpdateSystem implements AutoCloseable {
    /** Action outcomes remembered for {@link #outcome}. */
    public static final int REMEMBERED_OUTCOMES = UpdateStore.MAX_OUTCOMES;

    private static final Logger LOG = LoggerFactory.getLogger(AbUpdateSystem.class);
    private static final String STORE_FILE = "update.mv.db";

    private final AbUpdateConfig config;
    private final SlotFiles slots;
    private final UpdateOutbox outbox;
    private volatile UpdateStore store;

    private AbUpdateSystem(AbUpdateConfig config) {
        this.config = config;
        this.slots = new SlotFiles(config.dir());
        this.outbox = new UpdateOutbox(() -> store);
        this.store = powerOn();
    }

    /** Powers the car's A/B systems on (see the class comment); returns once every ECU runs a committed slot. */
    public static AbUpdateSystem boot(AbUpdateConfig config) {
        return new AbUpdateSystem(config);
    }

    /** Opens the store and runs the boot sequence; the outbox (flushed from within) already sees the new store. */
    private UpdateStore powerOn() {
        UpdateStore opened = UpdateStore.open(config.dir().resolve(STORE_FILE), config.clock());
        try {
            store = opened;
            new BootSequence(opened, slots, config).run();
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        flush();
        return opened;
    }

    /** Installs the image file of {@code request}; see {@link #install(InstallRequest, InputStream, InstallProgress)}. */
    public UpdateOutcome install(InstallRequest request, Path imageFile, InstallProgress progress) {
        try (InputStream in = Files.newInputStream(imageFile)) {
            return install(request, in, progress);
        } catch (IOException e) {
            throw new AgentException("image_unreadable", "cannot read " + imageFile + ": " + e.getMessage(), true, e);
        }
    }

    /**
     * Writes the image into the inactive slot of the request's ECU, verifies it, reboots into it on trial and
     * commits or rolls back. An action that already ended is not installed again: its remembered outcome is returned.
     *
     * @param image exactly {@link InstallRequest#lengthBytes()} bytes, already verified against signed metadata
     * @return how the action ended: committed, rolled back (health check) or failed (bad image, I/O fault)
     * @throws AgentException {@code unknown_ecu} for an ECU the car does not have
     */
    public synchronized UpdateOutcome install(InstallRequest request, InputStream image, InstallProgress progress) {
        Optional<UpdateOutcome> known = outcome(request.actionId(), request.ecu());
        if (known.isPresent()) {
            return known.get();
        }
        EcuSerial ecu = request.ecu();
        BootControl bc = control(ecu);
        Slot target = bc.active().other();
        SlotRecord writing = SlotRecord.writing(request);
        commit(store.transaction()
                .put(ecu, bc.with(target, writing))
                .step(request.actionId(), ecu, StepKind.INSTALLING, request.version(), Optional.empty()));
        LOG.info("{} ECU {}: installing {} into slot {}", config.vin(), ecu, request.version(), target);
        config.hook().reached(InstallPoint.SLOT_WRITE_STARTED, ecu);
        Optional<String> fault = writeAndVerify(request, slots.path(ecu, target), image, progress);
        if (fault.isPresent()) {
            return fail(request, bc, target, fault.get());
        }
        markTrial(request, bc.with(target, writing.in(SlotState.TRIAL)).withTrial(target, config.maxBootAttempts()));
        reboot();
        return outcome(request.actionId(), ecu).orElseThrow();
    }

    private Optional<String> writeAndVerify(InstallRequest request, Path file, InputStream image, InstallProgress p) {
        EcuSerial ecu = request.ecu();
        try {
            String streamed = slots.write(
                    file,
                    image,
                    request.lengthBytes(),
                    p,
                    () -> config.hook().reached(InstallPoint.SLOT_HALF_WRITTEN, ecu));
            config.hook().reached(InstallPoint.SLOT_WRITTEN, ecu);
            if (!streamed.equals(request.sha256())) {
                return Optional.of("hash_mismatch: image sha256 " + streamed + ", expected " + request.sha256());
            }
            String readBack = slots.readBackSha256(file);
            return readBack.equals(request.sha256())
                    ? Optional.empty()
                    : Optional.of("slot_verify_failed: slot reads back as sha256 " + readBack);
        } catch (TsunaguException e) {
            return Optional.of(e.code() + ": " + e.getMessage());
        }
    }

    private UpdateOutcome fail(InstallRequest request, BootControl before, Slot target, String reason) {
        slots.discard(slots.path(request.ecu(), target));
        UpdateOutcome failed = new UpdateOutcome(
                request.actionId(), request.ecu(), StepKind.FAILED, request.version(), Optional.of(reason));
        commit(store.transaction()
                .put(request.ecu(), before.with(target, SlotRecord.empty()))
                .finish(failed));
        LOG.warn(
                "{} ECU {}: install of {} failed ({}); still running {}",
                config.vin(),
                request.ecu(),
                request.version(),
                reason,
                before.slot(before.active()).version());
        return failed;
    }

    private void markTrial(InstallRequest request, BootControl trial) {
        EcuSerial ecu = request.ecu();
        commit(store.transaction()
                .put(ecu, trial)
                .step(request.actionId(), ecu, StepKind.INSTALLED, request.version(), Optional.empty())
                .step(request.actionId(), ecu, StepKind.REBOOTING, request.version(), Optional.empty()));
        config.hook().reached(InstallPoint.TRIAL_MARKED, ecu);
    }

    /** Simulated reboot: closes the store, drops all in-memory state and boots again from disk. */
    public synchronized void reboot() {
        LOG.info("{}: rebooting", config.vin());
        store.close();
        store = powerOn();
    }

    /** What {@code ecu} runs: the software of its committed slot. */
    public synchronized InstalledSoftware installed(EcuSerial ecu) {
        BootControl bc = control(ecu);
        SlotRecord active = bc.slot(bc.active());
        return new InstalledSoftware(ecu, bc.active(), active.version(), active.sha256(), active.lengthBytes());
    }

    /** What every ECU runs, by ECU (hawkBit DDI {@code installedBase}, Uptane vehicle version manifest). */
    public synchronized Map<EcuSerial, InstalledSoftware> installedBase() {
        Map<EcuSerial, InstalledSoftware> base = new TreeMap<>();
        config.ecus().forEach(ecu -> base.put(ecu, installed(ecu)));
        return base;
    }

    /** How action {@code actionId} ended on {@code ecu}, if it ended (and is among the last remembered). */
    public synchronized Optional<UpdateOutcome> outcome(UpdateActionId actionId, EcuSerial ecu) {
        return store.outcome(actionId, ecu);
    }

    /** The steps for the cloud. */
    public UpdateOutbox outbox() {
        return outbox;
    }

    private BootControl control(EcuSerial ecu) {
        if (!config.factoryVersions().containsKey(ecu)) {
            throw new AgentException("unknown_ecu", "this car has no ECU " + ecu, false);
        }
        return store.bootControl(ecu).orElseThrow();
    }

    private void commit(UpdateStore.Transaction tx) {
        tx.commit();
        flush();
    }

    private void flush() {
        config.reporter().ifPresent(outbox::flush);
    }

    @Override
    public synchronized void close() {
        store.close();
    }
}
