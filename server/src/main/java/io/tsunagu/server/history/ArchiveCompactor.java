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
 * Moves closed history days older than {@code archiveAfter} into the cold archive ({@link
 * ArchivedSampleStore#archiveColdDays}) once an hour on one daemon thread, first five minutes after start (out of the
 * way of a restart's catch-up; it also finishes a day a crash left in both places). A failed run is logged and retried
 * at the next hour. Counts archived days, rows and bytes, and shows the archive's state as gauges.
 */
public final class ArchiveCompactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveCompactor.class);
    private static final long FIRST_RUN_MINUTES = 5;
    private static final long EVERY_MINUTES = 60;

    private final ArchivedSampleStore store;
    private final Duration archiveAfter;
    private final Clock clock;
    private final LongAdder days;
    private final LongAdder rows;
    private final LongAdder bytes;
    private final LongAdder failures;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tsunagu-history-archive").daemon(true).factory());

    /** Registers the metrics; {@link #start} schedules the runs. */
    public ArchiveCompactor(ArchivedSampleStore store, Duration archiveAfter, Clock clock, Metrics metrics) {
        if (archiveAfter.isNegative() || archiveAfter.isZero()) {
            throw new IllegalArgumentException("history archive-after must be > 0, got " + archiveAfter);
        }
        this.store = store;
        this.archiveAfter = archiveAfter;
        this.clock = clock;
        this.days =
                metrics.counter("tsunagu_history_archive_days_written_total", "History days written to the archive");
        this.rows = metrics.counter("tsunagu_history_archive_rows_written_total", "Samples written to the archive");
        this.bytes =
                metrics.counter("tsunagu_history_archive_bytes_written_total", "Bytes of archive day files written");
        this.failures = metrics.counter("tsunagu_history_archive_runs_failed_total", "Archive runs that failed");
        metrics.gauge("tsunagu_history_archive_days", "History days in the archive", store::archivedDays);
        metrics.gauge("tsunagu_history_archive_bytes", "Bytes of the archive's files", store::archiveBytes);
        metrics.gauge(
                "tsunagu_history_archive_bad_days",
                "Archived days whose file is unreadable (their queries fail)",
                store::badArchiveDays);
        metrics.gauge(
                "tsunagu_history_archive_read_failures",
                "Archive reads that failed since start",
                store::archiveReadFailures);
    }

    /** Schedules the hourly runs. */
    public ArchiveCompactor start() {
        scheduler.scheduleWithFixedDelay(this::runLogged, FIRST_RUN_MINUTES, EVERY_MINUTES, TimeUnit.MINUTES);
        return this;
    }

    /** One run now, on the calling thread: archives what is due and counts it. */
    public List<ColdDay> runOnce() {
        List<ColdDay> archived = store.archiveColdDays(archiveAfter, clock.instant());
        for (ColdDay day : archived) {
            days.increment();
            rows.add(day.rows());
            bytes.add(day.parquetBytes());
        }
        return archived;
    }

    private void runLogged() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            failures.increment();
            LOG.warn("history: archive run failed; will retry in an hour", e);
        }
    }

    @Override
    public void close() {
        // a run in progress finishes (or is interrupted after the grace): the store it uses closes next
        GracefulStop.stop(scheduler, Duration.ofSeconds(30), "history archive export");
    }
}
