package io.tsunagu.bench.load;

import io.tsunagu.server.command.CommandState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A fixed number of clients (virtual threads), each repeating one timed round trip back to back until the interval
 * ends; a round trip started before the end is finished and counted. Latencies are kept for the successful ones only.
 */
final class ClosedLoop {
    private ClosedLoop() {}

    /**
     * What one run measured.
     *
     * @param snapshot wall time and CPU of the run
     * @param latencies of the successful round trips
     * @param states round trips by how they ended
     * @param stagesMs median of each stage of the successful round trips, ms
     */
    record Result(
            MeasuredInterval.Snapshot snapshot,
            Latencies latencies,
            Map<String, Long> states,
            Map<String, Double> stagesMs) {
        long count() {
            return states.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Every state but {@code success}, as {@code final.<state>} counts (the extras of a measurement). */
        Map<String, Double> finalStates(String success) {
            Map<String, Double> out = new LinkedHashMap<>();
            new TreeMap<>(states).forEach((state, n) -> {
                if (!state.equals(success)) {
                    out.put("final." + state, n.doubleValue());
                }
            });
            return out;
        }

        /** A measurement in which {@code success} round trips are ok and every other ending failed. */
        Measurement measurement(String target, String unit, String success, Map<String, Double> extras) {
            long ok = states.getOrDefault(success, 0L);
            return Measurement.of(target, unit, snapshot, ok, count() - ok, 0, 0, latencies, extras);
        }
    }

    /** Runs {@code clients} loops of {@code roundTrip} for {@code durationMs}, measuring {@code server}'s CPU. */
    static Result run(int clients, long durationMs, ProcessMeter server, Supplier<CommandRoundTrip.Outcome> roundTrip) {
        long deadline = System.nanoTime() + Duration.ofMillis(durationMs).toNanos();
        return run(clients, () -> System.nanoTime() < deadline, server, roundTrip);
    }

    /**
     * Runs {@code clients} loops of {@code roundTrip} while {@code keepGoing} says so (checked before each round trip),
     * measuring {@code server}'s CPU.
     */
    static Result run(
            int clients, BooleanSupplier keepGoing, ProcessMeter server, Supplier<CommandRoundTrip.Outcome> roundTrip) {
        Latencies latencies = new Latencies();
        Map<String, LongAdder> states = new ConcurrentHashMap<>();
        Map<String, Latencies> stages = new ConcurrentHashMap<>();
        MeasuredInterval interval = MeasuredInterval.start(server);
        try (ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                loops.submit(() -> {
                    while (keepGoing.getAsBoolean()) {
                        CommandRoundTrip.Outcome outcome = roundTrip.get();
                        states.computeIfAbsent(outcome.state(), s -> new LongAdder())
                                .increment();
                        if (isSuccess(outcome)) {
                            latencies.record(outcome.nanos());
                            outcome.stagesMs()
                                    .forEach((stage, ms) -> stages.computeIfAbsent(stage, s -> new Latencies())
                                            .record(Math.round(ms * 1e6)));
                        }
                    }
                });
            }
        }
        MeasuredInterval.Snapshot snapshot = interval.stop();
        Map<String, Long> counts = new LinkedHashMap<>();
        states.forEach((state, n) -> counts.put(state, n.sum()));
        Map<String, Double> stageMedians = new TreeMap<>();
        stages.forEach((stage, l) -> stageMedians.put(stage, l.percentilesMs(0.5)[0]));
        return new Result(snapshot, latencies, counts, stageMedians);
    }

    private static boolean isSuccess(CommandRoundTrip.Outcome outcome) {
        return outcome.state().equals(CommandState.EXECUTED.code())
                || outcome.state().equals(CommandRoundTrip.OK);
    }
}
