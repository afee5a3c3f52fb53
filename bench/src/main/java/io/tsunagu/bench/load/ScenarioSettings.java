package io.tsunagu.bench.load;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How big and how long one scenario runs.
 *
 * @param vehicles cars (or connections, for {@code ingest-max})
 * @param durationS measured seconds per target (after a short warm-up)
 * @param smoke the short CI mode: small numbers, seconds per scenario
 * @param windowS {@code history-query}: seconds of data of every car; the scenario's default when empty
 * @param ingestShare {@code twin-read}: background ingest as a share of {@code ingest-fleet}'s offered rate; the
 *     scenario's default when empty
 * @param generator the MQTT client of the cars of {@code ingest-max}, {@code ingest-fleet} and {@code twin-read}
 */
record ScenarioSettings(
        int vehicles,
        int durationS,
        boolean smoke,
        OptionalInt windowS,
        OptionalDouble ingestShare,
        Generator generator) {
    ScenarioSettings(int vehicles, int durationS, boolean smoke) {
        this(vehicles, durationS, smoke, OptionalInt.empty(), OptionalDouble.empty(), Generator.NETTY);
    }

    /** Warm-up before the measured interval: 20 % of it, between 0.5 and 3 s. */
    long warmupMs() {
        return Math.clamp(durationS * 200L, 500, 3_000);
    }
}
