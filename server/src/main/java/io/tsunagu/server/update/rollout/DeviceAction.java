package io.tsunagu.server.update.rollout;

import java.util.Optional;

/**
 * What a device needs to work on an action: the action, the distribution it installs (modules and artifacts, for DDI's
 * {@code deploymentBase} chunks), and whether the campaign's maintenance window is open now.
 *
 * @param maintenanceWindowOpen empty if the campaign has no window (DDI leaves {@code maintenanceWindow} out); else
 *     whether it is open now (DDI {@code available} / {@code unavailable})
 */
public record DeviceAction(UpdateAction action, Distribution distribution, Optional<Boolean> maintenanceWindowOpen) {
    public long id() {
        return action.id();
    }
}
