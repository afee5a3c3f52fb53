package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.update.Slot;
import java.util.Optional;

/**
 * The boot-control record of one ECU: what a bootloader environment holds on a real A/B system (U-Boot's {@code
 * BOOT_ORDER} and {@code BOOT_x_LEFT} as RAUC uses them, GRUB's {@code grubenv}).
 *
 * @param active the committed slot: booted whenever no trial is pending, and the fallback of a trial
 * @param trial the slot to boot on trial at the next boot, if an install is pending its health check
 * @param bootAttemptsLeft trial boots left before the bootloader gives up and falls back to {@code active}
 * @param a slot A
 * @param b slot B
 */
public record BootControl(Slot active, Optional<Slot> trial, int bootAttemptsLeft, SlotRecord a, SlotRecord b) {
    /** The record of {@code slot}. */
    public SlotRecord slot(Slot slot) {
        return slot == Slot.A ? a : b;
    }

    /** A copy with {@code slot}'s record replaced. */
    public BootControl with(Slot slot, SlotRecord record) {
        return slot == Slot.A
                ? new BootControl(active, trial, bootAttemptsLeft, record, b)
                : new BootControl(active, trial, bootAttemptsLeft, a, record);
    }

    /** A copy that boots {@code slot} on trial, {@code attempts} times at most. */
    public BootControl withTrial(Slot slot, int attempts) {
        return new BootControl(active, Optional.of(slot), attempts, a, b);
    }

    /** A copy with one trial boot attempt used. */
    public BootControl attemptUsed() {
        return new BootControl(active, trial, bootAttemptsLeft - 1, a, b);
    }

    /** A copy with no trial pending and {@code newActive} as the committed slot. */
    public BootControl resolved(Slot newActive) {
        return new BootControl(newActive, Optional.empty(), 0, a, b);
    }
}
