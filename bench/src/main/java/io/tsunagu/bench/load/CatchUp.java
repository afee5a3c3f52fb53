package io.tsunagu.bench.load;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The end of {@code ingest-fleet}'s warm-up: after a least warm-up at the full rate, waits until the target has
 * caught up with what it owes (acknowledgements outstanding at most {@code thresholdMsgs} on two checks in a row),
 * or until a longest warm-up has passed. So the measured window is the steady state when the target reaches one, and
 * the start-up backlog is reported beside it (how long catching up took, and whether it did) instead of being folded
 * into the steady state's percentiles.
 *
 * @param minMs the least warm-up, whatever is outstanding (cold JIT, a new table)
 * @param maxMs the longest warm-up; measuring starts then even if the target has not caught up
 * @param thresholdMsgs outstanding acknowledgements that count as caught up
 */
record CatchUp(long minMs, long maxMs, long thresholdMsgs) {
    static final long CHECK_MS = 250;

    CatchUp {
        if (minMs < 0 || maxMs < minMs || thresholdMsgs < 0) {
            throw new IllegalArgumentException("need 0 <= minMs <= maxMs and thresholdMsgs >= 0, got " + minMs + ", "
                    + maxMs + ", " + thresholdMsgs);
        }
    }

    /**
     * The threshold for a fleet offering one message per car every {@code intervalMs}: what it offers in 100 ms, so
     * caught up means the acknowledgements owed amount to less than 100 ms of traffic (at least one message).
     */
    static long thresholdFor(int cars, long intervalMs) {
        return Math.max(1, cars * 100L / intervalMs);
    }

    /** What the warm-up did: how long it took, and whether the target caught up within it. */
    record Outcome(long warmupMs, boolean caughtUp) {}

    /** Warms up against the real clock. */
    Outcome await(LongSupplier outstanding) {
        long start = System.nanoTime();
        return await(outstanding, () -> (System.nanoTime() - start) / 1_000_000, ChildServer::sleep);
    }

    /** Warms up; {@code elapsedMs} is the time since the warm-up began, {@code sleeper} sleeps that many ms. */
    Outcome await(LongSupplier outstanding, LongSupplier elapsedMs, LongConsumer sleeper) {
        sleeper.accept(minMs);
        int below = 0;
        while (true) {
            below = outstanding.getAsLong() <= thresholdMsgs ? below + 1 : 0;
            long elapsed = elapsedMs.getAsLong();
            if (below >= 2 || elapsed >= maxMs) {
                return new Outcome(elapsed, below >= 2);
            }
            sleeper.accept(Math.min(CHECK_MS, maxMs - elapsed));
        }
    }
}
