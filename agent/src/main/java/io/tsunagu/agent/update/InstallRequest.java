package io.tsunagu.agent.update;

import io.tsunagu.agent.AgentException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What to install: the verified image's identity as the (Uptane-verified) targets metadata states it. The A/B system
 * writes exactly {@code lengthBytes} bytes and accepts the slot only if its SHA-256 equals {@code sha256}.
 *
 * @param actionId the update action the steps are reported under
 * @param ecu the ECU to update
 * @param version the image's software version (what {@link InstalledSoftware#version()} reports once committed)
 * @param sha256 lower-case hex SHA-256 of the image (64 characters)
 * @param lengthBytes the image length, at least 1
 */
public record InstallRequest(UpdateActionId actionId, EcuSerial ecu, String version, String sha256, long lengthBytes) {
    public InstallRequest {
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (sha256.length() != 64 || !sha256.chars().allMatch(HexFormat::isHexDigit)) {
            throw new AgentException("invalid_install_request", "sha256 must be 64 hex characters", false);
        }
        if (version.isBlank() || version.length() > 128) {
            throw new AgentException("invalid_install_request", "version must be 1-128 characters", false);
        }
        if (lengthBytes < 1) {
            throw new AgentException("invalid_install_request", "lengthBytes must be at least 1", false);
        }
    }
}
