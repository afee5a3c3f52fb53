package io.tsunagu.agent.update;

/**
 * Named points of an install and of the boot sequence, where an {@link InstallHook} is called: failure injection for
 * tests (a child JVM is killed at a point) and nothing else.
 */
public enum InstallPoint {
    /** The slot is durably marked as being written ({@code installing} recorded); no byte written yet. */
    SLOT_WRITE_STARTED,
    /** Half of the image is in the slot file. */
    SLOT_HALF_WRITTEN,
    /** The whole image is in the slot file and forced to the device; not yet read back. */
    SLOT_WRITTEN,
    /** The slot is verified and durably marked as the trial slot; the car is about to reboot. */
    TRIAL_MARKED,
    /** After the (simulated) reboot: the bootloader booted the trial slot and counted the attempt. */
    TRIAL_BOOTED,
    /** The health check answered; commit or rollback not yet recorded. */
    HEALTH_CHECKED,
    /** The commit or rollback is durable; its step not yet delivered. */
    RESOLVED
}
