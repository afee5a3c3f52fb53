package io.tsunagu.agent.update;

import java.util.List;
import java.util.Optional;

/**
 * An update action as the cloud describes it (hawkBit DDI {@code deploymentBase}): the images it brings.
 *
 * @param actionId the action
 * @param images every artifact of every chunk
 */
public record Deployment(UpdateActionId actionId, List<DeploymentImage> images) {
    public Deployment {
        images = List.copyOf(images);
    }

    /** The image with this SHA-256, if the action names it. */
    public Optional<DeploymentImage> image(String sha256) {
        return images.stream().filter(i -> i.sha256().equals(sha256)).findFirst();
    }
}
