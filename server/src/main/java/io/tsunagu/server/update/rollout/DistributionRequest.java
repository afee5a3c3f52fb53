package io.tsunagu.server.update.rollout;

import java.util.List;

/**
 * A distribution to create; {@link RolloutService#createDistribution} validates it and resolves every artifact through
 * the {@link ArtifactLookup}.
 */
public record DistributionRequest(
        String name, String version, String model, String description, List<Module> modules, String requestedBy) {
    public DistributionRequest {
        modules = List.copyOf(modules);
    }

    /** A module to create; artifacts are named by SHA-256 (and, optionally, a file name overriding the stored one). */
    public record Module(String hardwareId, String name, String type, String version, List<ArtifactRef> artifacts) {
        public Module {
            artifacts = List.copyOf(artifacts);
        }
    }

    /** An artifact reference; an empty {@code filename} takes the artifact store's. */
    public record ArtifactRef(String sha256, String filename) {}
}
