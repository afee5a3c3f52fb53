package io.tsunagu.server.history;

import io.tsunagu.server.observe.GracefulStop;
import io.tsunagu.server.observe.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts closed history days older than {@code coldAfter} to Parquet ({@link QuestDbSampleStore#convertColdDays})
 * once an hour on one daemon thread, first five minutes after start so that it stays out of the way of a restart's
 * catch-up. A failed run is logged and retried at the next hour. Counts converted days and bytes before and after.
 */
public final class ColdDayCompactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ColdDayCompactor.class);
    private static final long FIRST_RUN_MINUTES = 5;
    private static final long EVERY_MINUTES = 60;

    private final QuestDbSampleStore store;
    private final Duration coldAfter;
    private final Clock clock;
    private final LongAdder days;
    private final LongAdder nativeBytes;
    private final LongAdder parquetBytes;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tsunagu-history-cold").daemon(true).factory());

    /** Registers the metrics; {@link #start} schedules the runs. */
    public ColdDayCompactor(QuestDbSampleStore store, Duration coldAfter, Clock clock, Metrics metrics) {
        if (coldAfter.isNegative() || coldAfter.isZero()) {
            throw new IllegalArgumentException("history cold-after must be > 0, got " + coldAfter);
        }
        this.store = store;
        this.coldAfter = coldAfter;
        this.clock = clock;
        this.days = metrics.counter("tsunagu_history_cold_days_converted_total", "History days converted to Parquet");
        this.nativeBytes = metrics.counter(
                "tsunagu_history_cold_native_bytes_total", "Bytes of converted history days before the conversion");
        this.parquetBytes = metrics.counter(
                "tsunagu_history_cold_parquet_bytes_total", "Bytes of converted history days after the conversion");
        metrics.gauge("tsunagu_history_cold_days", "History days stored in Parquet", store::coldDays);
        metrics.gauge(
                "tsunagu_history_cold_days_thawed",
                "Parquet days converted back to native for late samples since start",
                store::coldDaysThawed);
    }

    /** Schedules the hourly runs. */
    public ColdDayCompactor start() {
        scheduler.scheduleWithFixedDelay(this::runLogged, FIRST_RUN_MINUTES, EVERY_MINUTES, TimeUnit.MINUTES);
        return this;
    }

    /** One run now, on the calling thread: converts what is due and counts it. */
    public List<ColdDay> runOnce() {
        List<ColdDay> converted = store.convertColdDays(coldAfter, clock.instant());
        for (ColdDay day : converted) {
            days.increment();
            nativeBytes.add(day.nativeBytes());
            parquetBytes.add(day.parquetBytes());
        }
        if (!converted.isEmpty()) {
            LOG.info(
                    "history: {} day(s) older than {} converted to Parquet, {} -> {} bytes",
                    converted.size(),
                    coldAfter,
                    converted.stream().mapToLong(ColdDay::nativeBytes).sum(),
                    converted.stream().mapToLong(ColdDay::parquetBytes).sum());
        }
        return converted;
    }

    private void runLogged() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("history: cold-day conversion failed; will retry in an hour", e);
        }
    }

    @Override
    public void close() {
        // a run in progress finishes (or is interrupted after the grace): the store it uses closes next
        GracefulStop.stop(scheduler, Duration.ofSeconds(30), "cold-day conversion");
    }
}
