package io.tsunagu.server.update.rollout;

import java.util.Optional;

/**
 * One group of a campaign: a share of the target set ({@code percent} of it, rounded down, at least one car) or a fixed
 * {@code count} of cars; the last group also takes every car left over. Thresholds override the campaign's.
 */
public record GroupSpec(
        Amount amount, int value, Optional<Integer> successThresholdPct, Optional<Integer> errorThresholdPct) {
    /** How {@code value} is meant. */
    public enum Amount {
        PERCENT,
        COUNT
    }

    public static GroupSpec percent(int percent) {
        return new GroupSpec(Amount.PERCENT, percent, Optional.empty(), Optional.empty());
    }

    public static GroupSpec count(int count) {
        return new GroupSpec(Amount.COUNT, count, Optional.empty(), Optional.empty());
    }
}
