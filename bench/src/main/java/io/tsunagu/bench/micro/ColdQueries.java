package io.tsunagu.bench.micro;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.history.Aggregate;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.history.SampleStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The three history-query shapes on one stored day, timed by this thread's CPU time (the machine is shared, so wall
 * time would measure the neighbours): one car's raw day, one car's raw first hour, one series downsampled to 1 minute,
 * latest of every car. The archive's DuckDB runs on the calling thread ({@code threads = 1}), so its CPU time counts.
 */
final class ColdQueries {
    private static final int WARM_UP = 5;
    private static final int MEASURED = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final SampleStore store;
    private final Vin car;
    private final String series;
    private final long fromMs;
    private final long toMs;
    private final long firstMs;

    /** @param firstSecond the first second of samples; its first car and first numeric signal are queried */
    ColdQueries(SampleStore store, List<Sample> firstSecond, long fromMs, long toMs) {
        this.store = store;
        this.car = firstSecond.getFirst().vin();
        this.series = firstSecond.stream()
                .filter(sample -> sample.vin().equals(car) && sample.value() instanceof SignalValue.Num)
                .findFirst()
                .orElseThrow()
                .path();
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.firstMs = firstSecond.getFirst().tsMs();
    }

    ColdQueryCost.Side measure() {
        return new ColdQueryCost.Side(
                cpuMicros(() -> raw(fromMs, toMs)),
                cpuMicros(() -> raw(firstMs, firstMs + 3_600_000)),
                cpuMicros(() -> store.query(HistoryQuery.downsampled(
                                car, List.of(series), fromMs, toMs, 60_000, Aggregate.AVG, 10_000))
                        .points()
                        .size()),
                cpuMicros(() -> store.latestOfEveryCar(series).size()));
    }

    private long raw(long from, long to) {
        HistoryQuery first = HistoryQuery.raw(car, List.of(), from, to, HistoryQuery.MAX_LIMIT);
        HistoryPage page = store.query(first);
        long points = page.points().size();
        while (page.nextCursor().isPresent()) {
            page = store.query(first.after(page.nextCursor().get()));
            points += page.points().size();
        }
        return points;
    }

    /** Mean CPU µs of one call; each call must return rows, so a query that silently finds nothing is caught. */
    private static double cpuMicros(LongSupplier query) {
        for (int i = 0; i < WARM_UP; i++) {
            requireRows(query.getAsLong());
        }
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < MEASURED; i++) {
            requireRows(query.getAsLong());
        }
        return (THREADS.getCurrentThreadCpuTime() - start) / 1_000.0 / MEASURED;
    }

    private static void requireRows(long rows) {
        if (rows == 0) {
            throw new IllegalStateException("a history query on the measured day returned no rows");
        }
    }
}
