package io.tsunagu.server.update.uptane;

import java.util.Optional;

/**
 * One image of a car's update action, as the director binds it: the image (by digest) for the car's ECUs of one
 * hardware id. Rollouts give one per software module of the distribution.
 *
 * @param hardwareId which of the car's ECUs get it; empty: every ECU whose hardware id the image lists
 */
public record ImageAssignment(String sha256, Optional<String> hardwareId) {
    public static ImageAssignment of(String sha256, String hardwareId) {
        return new ImageAssignment(sha256, Optional.of(hardwareId));
    }
}
