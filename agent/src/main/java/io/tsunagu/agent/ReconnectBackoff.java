package io.tsunagu.agent;

import java.util.random.RandomGenerator;

/**
 * Exponential reconnect backoff with full jitter: before attempt {@code n} (1-based) the agent waits a uniformly
 * random time in {@code [0, min(maxMs, initialMs * 2^(n-1))]}. Full jitter spreads a fleet that lost the broker at
 * the same moment over the whole window instead of letting it reconnect in waves.
 *
 * @param initialMs the cap of the first delay, e.g. 500
 * @param maxMs the largest cap, e.g. 30 000
 */
public record ReconnectBackoff(long initialMs, long maxMs) {
    public static final ReconnectBackoff DEFAULT = new ReconnectBackoff(500, 30_000);

    public ReconnectBackoff {
        if (initialMs < 1 || maxMs < initialMs) {
            throw new AgentException(
                    "invalid_backoff", "need 1 <= initialMs <= maxMs, got " + initialMs + " and " + maxMs, false);
        }
    }

    /** The upper bound of the delay before attempt {@code attempt} (1-based). */
    public long capMs(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 62));
        long cap = initialMs << Math.min(doublings, Long.numberOfLeadingZeros(initialMs) - 1);
        return Math.min(maxMs, cap);
    }

    /** A jittered delay for attempt {@code attempt} (1-based), drawn from {@code random}. */
    public long delayMs(int attempt, RandomGenerator random) {
        return random.nextLong(capMs(attempt) + 1);
    }
}
