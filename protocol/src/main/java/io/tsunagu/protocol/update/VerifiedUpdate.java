package io.tsunagu.protocol.update;

import java.util.List;

/**
 * The outcome of full verification: what each ECU should run and the trust to persist. Persist {@link #newState()}
 * before acting on the targets, so that a restart never goes back to older metadata.
 */
public record VerifiedUpdate(List<VerifiedTarget> targets, TrustedState newState) {
    public VerifiedUpdate {
        targets = List.copyOf(targets);
    }

    /** Targets whose ECU does not already run the image. */
    public List<VerifiedTarget> toInstall() {
        return targets.stream().filter(t -> !t.alreadyInstalled()).toList();
    }
}
