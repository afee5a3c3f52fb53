package io.tsunagu.server.update.uptane;

import io.tsunagu.protocol.update.Role;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How the repositories sign. Each role gets {@code threshold} keys, and root demands that many signatures (TUF 4.3);
 * metadata is re-signed once less than half of its lifetime is left, so a car that polls at least every half
 * lifetime never sees expired metadata.
 *
 * @param thresholds signatures each role needs (default 1); applied at first start and at every root rotation
 * @param lifetimes how long each role's metadata stays valid after signing
 * @param refreshInterval how often the refresher looks for metadata to re-sign
 */
public record UptaneConfig(Map<Role, Integer> thresholds, Map<Role, Duration> lifetimes, Duration refreshInterval) {
    public UptaneConfig {
        thresholds = Map.copyOf(thresholds);
        lifetimes = Map.copyOf(lifetimes);
        for (Role role : Role.values()) {
            Integer threshold = thresholds.get(role);
            if (threshold == null || threshold < 1 || threshold > 16) {
                throw new IllegalArgumentException("uptane threshold of " + role.type() + " must be 1..16");
            }
            Duration lifetime = lifetimes.get(role);
            if (lifetime == null || lifetime.compareTo(Duration.ofMinutes(2)) < 0) {
                throw new IllegalArgumentException("uptane lifetime of " + role.type() + " must be at least 2 minutes");
            }
        }
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("uptane refresh interval must be > 0");
        }
    }

    /** Threshold 1; root a year, targets 90 days, snapshot 7 days, timestamp 1 day; refresher every minute. */
    public static UptaneConfig defaults() {
        Map<Role, Integer> thresholds = new EnumMap<>(Role.class);
        Map<Role, Duration> lifetimes = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            thresholds.put(role, 1);
        }
        lifetimes.put(Role.ROOT, Duration.ofDays(365));
        lifetimes.put(Role.TARGETS, Duration.ofDays(90));
        lifetimes.put(Role.SNAPSHOT, Duration.ofDays(7));
        lifetimes.put(Role.TIMESTAMP, Duration.ofDays(1));
        return new UptaneConfig(thresholds, lifetimes, Duration.ofMinutes(1));
    }

    /** The same with every role demanding {@code threshold} signatures. */
    public UptaneConfig withThreshold(int threshold) {
        Map<Role, Integer> next = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            next.put(role, threshold);
        }
        return new UptaneConfig(next, lifetimes, refreshInterval);
    }

    public int threshold(Role role) {
        return thresholds.get(role);
    }

    public Duration lifetime(Role role) {
        return lifetimes.get(role);
    }
}
