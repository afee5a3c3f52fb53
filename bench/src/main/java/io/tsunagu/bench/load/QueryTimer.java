package io.tsunagu.bench.load;

import io.tsunagu.bench.history.Answer;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times one query of the {@code history-query} scenario: one caller, back to back, first a warm-up (JIT, the engines'
 * caches, the page cache), then the measured interval. Every query counts at least {@value #MIN_QUERIES} times, so a
 * slow one still has percentiles. The CPU figures are this whole process's (engine and harness are one process).
 */
final class QueryTimer {
    static final int MIN_QUERIES = 3;
    static final int MAX_QUERIES = 200_000;

    private QueryTimer() {}

    /**
     * A query's figures and its first answer (the one compared across engines).
     *
     * @param measurement latency percentiles, queries/s and CPU per query
     * @param answer what the engine answered
     */
    record Timed(Measurement measurement, Answer answer) {}

    static Timed time(String target, Supplier<Answer> query, long warmupMs, long measureMs) {
        Answer answer = query.get();
        long warmupEnd = System.nanoTime() + warmupMs * 1_000_000;
        for (int i = 1; i < MIN_QUERIES || System.nanoTime() < warmupEnd; i++) {
            query.get();
        }
        Latencies latencies = new Latencies();
        MeasuredInterval interval = MeasuredInterval.start(ProcessMeter.self());
        long end = System.nanoTime() + measureMs * 1_000_000;
        int count = 0;
        while (count < MIN_QUERIES || (System.nanoTime() < end && count < MAX_QUERIES)) {
            long started = System.nanoTime();
            query.get();
            latencies.record(System.nanoTime() - started);
            count++;
        }
        MeasuredInterval.Snapshot snapshot = interval.stop();
        Measurement measurement = Measurement.of(
                target, "query", snapshot, count, 0, 0, 0, latencies, Map.of("rows", (double) answer.size()));
        return new Timed(measurement, answer);
    }
}
