package io.tsunagu.agent.update;

import java.nio.file.Path;

/**
 * Decides, after the car booted an ECU's trial slot, whether the new software works (RAUC: "mark-good" after the
 * system came up; SWUpdate: the {@code ustate} transition after a successful boot). Runs once per trial boot on the
 * thread that boots the A/B system. An exception counts as unhealthy.
 */
@FunctionalInterface
public interface HealthCheck {
    /**
     * Checks the booted trial slot.
     *
     * @param trial the software in the trial slot
     * @param slotImage the slot's image file (read-only use)
     */
    HealthVerdict check(InstalledSoftware trial, Path slotImage);
}
