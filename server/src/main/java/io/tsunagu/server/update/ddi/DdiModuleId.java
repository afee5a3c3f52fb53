package io.tsunagu.server.update.ddi;

import java.util.Optional;

/**
 * DDI's numeric software module id ({@code softwaremodules/{moduleId}}) for module {@code index} of a distribution:
 * {@code distributionId × 1000 + index}. Rollout distributions number their modules by position only, and hawkBit
 * clients treat the id as opaque, so a reversible number is enough; a distribution holds fewer than {@link
 * #MODULES_PER_DISTRIBUTION} modules (one per ECU).
 */
public record DdiModuleId(long distributionId, int index) {
    public static final int MODULES_PER_DISTRIBUTION = 1000;

    public DdiModuleId {
        if (distributionId < 0 || distributionId > Long.MAX_VALUE / MODULES_PER_DISTRIBUTION - 1) {
            throw new IllegalArgumentException("distribution id out of range: " + distributionId);
        }
        if (index < 0 || index >= MODULES_PER_DISTRIBUTION) {
            throw new IllegalArgumentException("module index must be 0.." + (MODULES_PER_DISTRIBUTION - 1));
        }
    }

    public long value() {
        return distributionId * MODULES_PER_DISTRIBUTION + index;
    }

    /** Parses a path segment; empty for anything but a non-negative number. */
    public static Optional<DdiModuleId> parse(String segment) {
        try {
            long value = Long.parseLong(segment);
            return value < 0
                    ? Optional.empty()
                    : Optional.of(new DdiModuleId(
                            value / MODULES_PER_DISTRIBUTION, (int) (value % MODULES_PER_DISTRIBUTION)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
