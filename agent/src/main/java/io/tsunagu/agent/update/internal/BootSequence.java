package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.update.AbUpdateConfig;
import io.tsunagu.agent.update.EcuSerial;
import io.tsunagu.agent.update.HealthVerdict;
import io.tsunagu.agent.update.InstallPoint;
import io.tsunagu.agent.update.InstalledSoftware;
import io.tsunagu.agent.update.Slot;
import io.tsunagu.agent.update.StepKind;
import io.tsunagu.agent.update.UpdateActionId;
import io.tsunagu.agent.update.UpdateOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the car powers on, per ECU, in this order: provision a new ECU with its factory image; discard a
 * slot whose write was interrupted (reported {@code failed(interrupted)}); then the bootloader: with a trial pending
 * and attempts left, count an attempt durably and boot the trial slot, else fall back to the active slot ({@code
 * rolled_back(boot_attempts_exhausted)}); a booted trial is health-checked and committed or rolled back. Afterwards
 * no trial is pending and every ECU runs its active slot. Each transition is one durable {@link UpdateStore}
 * transaction, so a crash at any point resumes correctly on the next boot. Single-threaded: the caller holds the
 * system's lock.
 */
public final class BootSequence {
    private static final Logger LOG = LoggerFactory.getLogger(BootSequence.class);
    /** The action id of steps about an image no action installed (cannot happen for a trial, kept for safety). */
    private static final UpdateActionId UNKNOWN_ACTION = UpdateActionId.of("unknown");

    private final UpdateStore store;
    private final SlotFiles slots;
    private final AbUpdateConfig config;

    public BootSequence(UpdateStore store, SlotFiles slots, AbUpdateConfig config) {
        this.store = store;
        this.slots = slots;
        this.config = config;
    }

    /** Boots every configured ECU (see the class comment). */
    public void run() {
        for (EcuSerial ecu : config.ecus()) {
            BootControl bc = store.bootControl(ecu).orElseGet(() -> provision(ecu));
            bc = discardInterrupted(ecu, bc);
            bootloader(ecu, bc);
        }
    }

    private BootControl provision(EcuSerial ecu) {
        String version = config.factoryVersions().get(ecu);
        byte[] image = ("factory image of ECU " + ecu + ", version " + version + "\n").getBytes(StandardCharsets.UTF_8);
        String sha256 = slots.writeAll(slots.path(ecu, Slot.A), image);
        SlotRecord factory = new SlotRecord(SlotState.GOOD, version, sha256, image.length, Optional.empty());
        BootControl bc = new BootControl(Slot.A, Optional.empty(), 0, factory, SlotRecord.empty());
        store.transaction().put(ecu, bc).commit();
        LOG.info("{} ECU {}: provisioned factory image {} in slot A", config.vin(), ecu, version);
        return bc;
    }

    private BootControl discardInterrupted(EcuSerial ecu, BootControl bc) {
        for (Slot slot : Slot.values()) {
            SlotRecord record = bc.slot(slot);
            if (record.state() == SlotState.WRITING) {
                slots.discard(slots.path(ecu, slot));
                bc = bc.with(slot, SlotRecord.empty());
                UpdateOutcome failed = outcome(ecu, record, StepKind.FAILED, "interrupted");
                store.transaction().put(ecu, bc).finish(failed).commit();
                LOG.warn(
                        "{} ECU {}: install of {} into slot {} was interrupted; slot discarded, still running {}",
                        config.vin(),
                        ecu,
                        record.version(),
                        slot,
                        bc.slot(bc.active()).version());
            }
        }
        return bc;
    }

    private void bootloader(EcuSerial ecu, BootControl bc) {
        if (bc.trial().isEmpty()) {
            return;
        }
        Slot trial = bc.trial().get();
        if (bc.bootAttemptsLeft() <= 0) {
            resolve(ecu, bc, HealthVerdict.failed("boot_attempts_exhausted"));
            return;
        }
        bc = bc.attemptUsed();
        store.transaction().put(ecu, bc).commit();
        LOG.info("{} ECU {}: booted trial slot {} ({} attempts left)", config.vin(), ecu, trial, bc.bootAttemptsLeft());
        config.hook().reached(InstallPoint.TRIAL_BOOTED, ecu);
        HealthVerdict verdict = healthCheck(ecu, bc, trial);
        config.hook().reached(InstallPoint.HEALTH_CHECKED, ecu);
        resolve(ecu, bc, verdict);
    }

    private HealthVerdict healthCheck(EcuSerial ecu, BootControl bc, Slot trial) {
        SlotRecord record = bc.slot(trial);
        Path image = slots.path(ecu, trial);
        try {
            if (!slots.readBackSha256(image).equals(record.sha256())) {
                return HealthVerdict.failed("trial_image_corrupt"); // verified boot: the slot changed since install
            }
            InstalledSoftware software =
                    new InstalledSoftware(ecu, trial, record.version(), record.sha256(), record.lengthBytes());
            HealthVerdict verdict = config.healthCheck().check(software, image);
            return verdict.healthy() ? verdict : HealthVerdict.failed("health_check_failed: " + verdict.detail());
        } catch (RuntimeException e) {
            return HealthVerdict.failed("health_check_failed: " + e);
        }
    }

    /** Commits the trial slot (healthy) or marks it bad and falls back to the active slot, in one transaction. */
    private void resolve(EcuSerial ecu, BootControl bc, HealthVerdict verdict) {
        Slot trial = bc.trial().orElseThrow();
        SlotRecord record = bc.slot(trial);
        BootControl after;
        UpdateOutcome outcome;
        if (verdict.healthy()) {
            after = bc.with(trial, record.in(SlotState.GOOD)).resolved(trial);
            outcome = outcome(ecu, record, StepKind.COMMITTED, "");
        } else {
            after = bc.with(trial, record.in(SlotState.BAD)).resolved(bc.active());
            outcome = outcome(ecu, record, StepKind.ROLLED_BACK, verdict.detail());
        }
        store.transaction().put(ecu, after).finish(outcome).commit();
        LOG.info(
                "{} ECU {}: {} {} (slot {}){}; running {}",
                config.vin(),
                ecu,
                outcome.kind().wireName(),
                record.version(),
                trial,
                outcome.reason().map(r -> ": " + r).orElse(""),
                after.slot(after.active()).version());
        config.hook().reached(InstallPoint.RESOLVED, ecu);
    }

    private static UpdateOutcome outcome(EcuSerial ecu, SlotRecord record, StepKind kind, String reason) {
        return new UpdateOutcome(
                record.actionId().orElse(UNKNOWN_ACTION),
                ecu,
                kind,
                record.version(),
                reason.isEmpty() ? Optional.empty() : Optional.of(reason));
    }
}
