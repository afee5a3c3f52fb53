package io.tsunagu.bench.load;

/**
 * How big and how long one scenario runs.
 *
 * @param vehicles cars (or connections, for {@code ingest-max})
 * @param durationS measured seconds per target (after a short warm-up)
 * @param smoke the short CI mode: small numbers, seconds per scenario
 */
record ScenarioSettings(int vehicles, int durationS, boolean smoke) {
    /** Warm-up before the measured interval: 20 % of it, between 0.5 and 3 s. */
    long warmupMs() {
        return Math.clamp(durationS * 200L, 500, 3_000);
    }
}
