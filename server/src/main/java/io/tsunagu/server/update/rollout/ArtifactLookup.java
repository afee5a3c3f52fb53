package io.tsunagu.server.update.rollout;

import java.util.Optional;
import java.util.Set;

/**
 * How rollouts learn of stored artifacts, kept this small so the rollout context does not depend on the artifact store's
 * tables or classes: the server wires it to the artifact store.
 */
@FunctionalInterface
public interface ArtifactLookup {
    /** What a distribution needs to know of a stored artifact. */
    record ArtifactInfo(String sha256, long lengthBytes, String filename, Set<String> hardwareIds) {
        public ArtifactInfo {
            hardwareIds = Set.copyOf(hardwareIds);
        }
    }

    /** The artifact with this SHA-256 (64 lower-case hex digits), if stored. */
    Optional<ArtifactInfo> find(String sha256);
}
