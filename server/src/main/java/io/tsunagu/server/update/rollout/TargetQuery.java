package io.tsunagu.server.update.rollout;

import java.util.Optional;
import java.util.Set;

/**
 * Which registered cars a campaign targets: all unrevoked cars of {@code model} (default: the distribution's model)
 * that carry every tag in {@code tags} and, if {@code currentVersions} is not empty, whose installed version of this
 * distribution's name is one of them ({@link #NOTHING_INSTALLED} matches cars with none recorded). Cars that already
 * have an open update action are left out (one open action per car).
 */
public record TargetQuery(Optional<String> model, Set<String> tags, Set<String> currentVersions) {
    /** In {@code currentVersions}: cars with no installed version of the distribution's name. */
    public static final String NOTHING_INSTALLED = "(none)";

    public TargetQuery {
        tags = Set.copyOf(tags);
        currentVersions = Set.copyOf(currentVersions);
    }

    /** Every car of the distribution's model. */
    public static TargetQuery all() {
        return new TargetQuery(Optional.empty(), Set.of(), Set.of());
    }
}
