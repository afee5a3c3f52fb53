package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.tsunagu.server.history.internal.QuestDbReader.Micros;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cold day partitions of the history table in Parquet: converts closed days to QuestDB's in-place Parquet format and,
 * when a late sample belongs to such a day, converts that day back to native first.
 *
 * <p><b>Why thaw before a late write.</b> QuestDB 9.3.4 cannot apply a WAL transaction with rows for a Parquet
 * partition of this table: the apply fails ("bulk update failed") and the table is suspended, so every later append
 * would fail too. A car that was offline for days sends exactly such rows (store-and-forward), so a batch that touches
 * a Parquet day first runs {@code CONVERT PARTITION TO NATIVE} for that day; the next compaction converts it again.
 *
 * <p><b>Never the day being written.</b> Only days whose newest row is older than the cutoff, and never QuestDB's active
 * (last) partition, are converted; QuestDB refuses the active partition anyway.
 *
 * <p>Changes run under the store's write lock; the counts may be read from any thread (metrics).
 */
public final class ColdPartitions {
    private static final Logger LOG = LoggerFactory.getLogger(ColdPartitions.class);
    private static final long DAY_MICROS = 86_400_000_000L;
    private static final DateTimeFormatter DAY_NAME = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private static final long READER_RELEASE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String table;
    private final CairoEngine engine;
    private final QuestDbReader reader;
    private final Consumer<String> alter;
    private final Runnable applyWal;
    private final ConcurrentSkipListSet<Long> parquetDays = new ConcurrentSkipListSet<>();
    private volatile long coldUntilMicros;
    private final AtomicLong thawed = new AtomicLong();

    /**
     * @param alter runs an {@code ALTER TABLE} statement (written to the table's WAL)
     * @param applyWal applies the WAL, so the statement has taken effect when it returns
     */
    public ColdPartitions(
            String table, CairoEngine engine, QuestDbReader reader, Consumer<String> alter, Runnable applyWal) {
        this.table = table;
        this.engine = engine;
        this.reader = reader;
        this.alter = alter;
        this.applyWal = applyWal;
    }

    /** One converted day: its name ({@code 2026-01-01}), rows, and bytes on disk before and after. */
    public record Converted(String day, long rows, long nativeBytes, long parquetBytes) {}

    /** Reads which days are Parquet already (after a restart). */
    public void load() {
        parquetDays.clear();
        reader.forEach("SELECT name FROM table_partitions('" + table + "') WHERE isParquet", List.of(), row -> {
            parquetDays.add(dayOf(parsedDayMicros(row.getStrA(0).toString())));
            return true;
        });
        publish();
    }

    /**
     * Converts every native, inactive day whose newest row is before {@code cutoff} (truncated to the day) to Parquet.
     *
     * @return the converted days, oldest first
     */
    public List<Converted> convertBefore(Instant cutoff) {
        long cutoffMicros = Micros.ofMillis(
                        Math.max(0, cutoff.truncatedTo(ChronoUnit.DAYS).toEpochMilli()))
                .value();
        List<Converted> converted = new ArrayList<>();
        for (Partition day : nativeDaysBefore(cutoffMicros)) {
            alter.accept("ALTER TABLE " + table + " CONVERT PARTITION TO PARQUET LIST '" + day.name + "'");
            applyWal.run();
            releaseReaders();
            long parquetBytes = parquetBytes(day.name);
            parquetDays.add(dayOf(parsedDayMicros(day.name)));
            publish();
            converted.add(new Converted(day.name, day.rows, day.bytes, parquetBytes));
            LOG.info(
                    "history: day {} ({} rows) converted to Parquet, {} bytes -> {} bytes",
                    day.name,
                    day.rows,
                    day.bytes,
                    parquetBytes);
        }
        return converted;
    }

    /**
     * Before {@code minTsMicros .. maxTsMicros} of a batch are written: converts each Parquet day in that range back
     * to native. Costs one volatile read when the batch is newer than every Parquet day.
     */
    public void thawFor(long minTsMicros, long maxTsMicros) {
        if (minTsMicros >= coldUntilMicros) {
            return;
        }
        for (Long day : List.copyOf(parquetDays.subSet(dayOf(minTsMicros), true, dayOf(maxTsMicros), true))) {
            String name = DAY_NAME.format(Instant.ofEpochMilli(day * (DAY_MICROS / 1000)));
            alter.accept("ALTER TABLE " + table + " CONVERT PARTITION TO NATIVE LIST '" + name + "'");
            applyWal.run();
            releaseReaders();
            parquetDays.remove(day);
            publish();
            thawed.incrementAndGet();
            LOG.info("history: late samples for day {}; converted it back to native until the next compaction", name);
        }
    }

    /** Parquet days before {@code cutoffMicros}: QuestDB reports no min/max timestamp for them. */
    public long daysBefore(long cutoffMicros) {
        return parquetDays.headSet(dayOf(cutoffMicros)).size();
    }

    /**
     * QuestDB 9.3.4: a pooled table reader that reloads after a day changed format finds no rows for that day through
     * the {@code vin} index (every one-car query), while a newly opened reader finds them all. So every idle reader is
     * closed after a conversion; a busy one (a query under way, reading its own snapshot) is waited for, since it would
     * go back to the pool with the same fault.
     */
    private void releaseReaders() {
        long deadline = System.nanoTime() + READER_RELEASE_TIMEOUT_NANOS;
        while (!engine.releaseAllReaders()) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("history: a query held a table reader for 30 s after a partition conversion");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Days converted back to native for late samples since open. */
    public long thawed() {
        return thawed.get();
    }

    /** Days now in Parquet. */
    public int parquetDays() {
        return parquetDays.size();
    }

    private void publish() {
        coldUntilMicros = parquetDays.isEmpty() ? Long.MIN_VALUE : (parquetDays.last() + 1) * DAY_MICROS;
    }

    private List<Partition> nativeDaysBefore(long cutoffMicros) {
        List<Partition> days = new ArrayList<>();
        reader.forEach(
                "SELECT name, numRows, diskSize FROM table_partitions('" + table + "')"
                        + " WHERE NOT isParquet AND NOT active AND numRows > 0 AND maxTimestamp < $1",
                List.of(new Micros(cutoffMicros)),
                row -> {
                    days.add(new Partition(row.getStrA(0).toString(), row.getLong(1), row.getLong(2)));
                    return true;
                });
        return days;
    }

    private long parquetBytes(String name) {
        long[] bytes = {-1};
        reader.forEach("SELECT diskSize FROM table_partitions('" + table + "') WHERE name = $1", List.of(name), row -> {
            bytes[0] = row.getLong(0);
            return false;
        });
        return bytes[0];
    }

    private static long dayOf(long micros) {
        return Math.floorDiv(micros, DAY_MICROS);
    }

    private static long parsedDayMicros(String name) {
        return Micros.ofMillis(LocalDate.parse(name)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli())
                .value();
    }

    private record Partition(String name, long rows, long bytes) {}
}
