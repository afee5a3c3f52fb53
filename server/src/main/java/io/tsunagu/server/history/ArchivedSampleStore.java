package io.tsunagu.server.history;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.history.internal.ArchivePages;
import io.tsunagu.server.history.internal.ArchiveSegments;
import io.tsunagu.server.history.internal.DayParquet;
import io.tsunagu.server.history.internal.ParquetArchive;
import io.tsunagu.server.history.internal.SamplesTable;
import io.tsunagu.server.history.internal.StoredRow;
import io.tsunagu.server.history.internal.StoredRows;
import io.tsunagu.server.history.internal.ValueColumns;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SampleStore} with a cold archive (issue 3, ≤ 4 B per stored sample): closed days older than a threshold are
 * exported from the {@link QuestDbSampleStore} to one Parquet file per day sorted by (series, ts), without QuestDB's
 * index, and their partition is dropped ({@link #archiveColdDays}). Appends go to the native store as before, also late
 * samples for an archived day; reads route by time: archived days from their file merged with whatever the native
 * table holds for them, the rest through the native store's own plans. Answers are the same as before the export
 * (tested in {@code ArchivedSampleStoreTest}). Replaces {@link QuestDbSampleStore#convertColdDays}, which keeps the
 * index (docs/architecture.md, "Cold archive").
 *
 * <p><b>Order and crash safety.</b> Per day: wait until the WAL is applied, write the day file (merged with an earlier
 * file of the day, native rows winning) to a temp file, fsync, rename, fsync the directory, then, under the native
 * store's write lock, drop the partition if no late row reached it meanwhile ({@link QuestDbSampleStore#archiveDay}).
 * A crash before the rename loses nothing (the temp file is deleted at open); a crash after it leaves the day in both
 * places, which reads de-duplicate, and the next run exports the day again and drops it.
 *
 * <p>Threading: as the native store; {@link #archiveColdDays} runs on one thread (the compactor's).
 */
public final class ArchivedSampleStore implements SampleStore {
    private static final Logger LOG = LoggerFactory.getLogger(ArchivedSampleStore.class);

    private final QuestDbSampleStore hot;
    private final ParquetArchive archive;
    private final ArchivePages pages;
    private final ValueColumns columns = new ValueColumns();
    /** The newest archived row of each series. */
    private final ConcurrentSkipListMap<String, StoredRow> newest = new ConcurrentSkipListMap<>();

    /** Test hooks: after the day's Parquet snapshot is taken (before DuckDB writes), and after the files are durable. */
    private final Runnable beforeWrite;

    private final Runnable afterExport;

    ArchivedSampleStore(QuestDbSampleStore hot, Path archiveDir, SignalCatalog catalog, Runnable afterExport) {
        this(hot, archiveDir, catalog, () -> {}, afterExport);
    }

    ArchivedSampleStore(
            QuestDbSampleStore hot,
            Path archiveDir,
            SignalCatalog catalog,
            Runnable beforeWrite,
            Runnable afterExport) {
        this.hot = hot;
        this.beforeWrite = beforeWrite;
        this.afterExport = afterExport;
        this.archive = ParquetArchive.open(archiveDir);
        StoredRows rows = hot.storedRows();
        this.pages = new ArchivePages(hot, archive, new ArchiveSegments(archive, rows, columns, catalog));
        loadNewest();
    }

    /**
     * Wraps {@code hot} (which this store then owns and closes) with the archive in {@code archiveDir}; {@code catalog}
     * is the one {@code hot} was opened with.
     */
    public static ArchivedSampleStore open(QuestDbSampleStore hot, Path archiveDir, SignalCatalog catalog) {
        try {
            return new ArchivedSampleStore(hot, archiveDir, catalog, () -> {});
        } catch (RuntimeException e) {
            hot.close();
            throw e;
        }
    }

    private void loadNewest() {
        newest.clear();
        archive.forEachLatest(row -> {
            newest.merge(row.series(), row, ArchivedSampleStore::newer);
            return true;
        });
    }

    private static StoredRow newer(StoredRow a, StoredRow b) {
        return b.tsMs() > a.tsMs() || (b.tsMs() == a.tsMs() && b.seq() > a.seq()) ? b : a;
    }

    /**
     * Archives every closed UTC day that ended at least {@code coldAfter} before {@code now} (the cut-off is {@code now
     * - coldAfter} truncated to its day) and every archived day that got late samples since; oldest first. A day that
     * fails is logged and left in the table; the others go on.
     *
     * @return the days written, with rows, bytes before (native partition, estimated by QuestDB) and the file's bytes
     */
    public List<ColdDay> archiveColdDays(Duration coldAfter, Instant now) {
        if (coldAfter.isNegative() || coldAfter.isZero()) {
            throw new TsunaguException("invalid_cold_after", "archive-after must be positive, got " + coldAfter, false);
        }
        long cutoffMs = now.minus(coldAfter).truncatedTo(ChronoUnit.DAYS).toEpochMilli();
        List<ColdDay> written = new ArrayList<>();
        for (LocalDate day : hot.storedRows().closedDaysBefore(cutoffMs)) {
            try {
                archiveDay(day).ifPresent(written::add);
            } catch (RuntimeException e) {
                LOG.warn("history archive: day {} not archived, it stays in the table: {}", day, e.getMessage());
            }
        }
        return written;
    }

    /** Archives one day; empty when late rows reached it during the export (it stays for the next run). */
    private Optional<ColdDay> archiveDay(LocalDate day) {
        long started = System.nanoTime();
        ParquetArchive.Written[] file = {null};
        boolean dropped = hot.archiveDay(day, rows -> {
            try (DayParquet parquet = rows.dayParquet(day, archive.exportPrefix(day))) {
                beforeWrite.run();
                file[0] = archive.write(day, parquet.files());
                afterExport.run();
                loadNewest(); // before the drop, so a latest value never falls between the two (side files are small)
                return parquet.rows();
            }
        });
        if (!dropped) {
            return Optional.empty();
        }
        pages.dayDropped();
        LOG.info(
                "history archive: day {} archived in {} ms, {} rows in {} bytes ({} B/sample)",
                day,
                (System.nanoTime() - started) / 1_000_000,
                file[0].rows(),
                file[0].bytes(),
                String.format(Locale.ROOT, "%.2f", (double) file[0].bytes() / file[0].rows()));
        return Optional.of(new ColdDay(day.toString(), file[0].rows(), -1, file[0].bytes()));
    }

    @Override
    public void appendDurably(List<Sample> samples) {
        hot.appendDurably(samples);
    }

    @Override
    public boolean awaitVisible(Duration timeout) {
        return hot.awaitVisible(timeout);
    }

    @Override
    public HistoryPage query(HistoryQuery query) {
        return pages.page(query);
    }

    @Override
    public List<Sample> latest(Vin vin) {
        Map<String, Sample> byPath = new TreeMap<>();
        for (Sample sample : hot.latest(vin)) {
            byPath.put(sample.path(), sample);
        }
        String prefix = vin.value() + SamplesTable.SEPARATOR;
        for (StoredRow row : newest.subMap(prefix, vin.value() + (char) (SamplesTable.SEPARATOR + 1))
                .values()) {
            byPath.merge(row.path(), sample(vin, row), ArchivedSampleStore::newerSample);
        }
        return List.copyOf(byPath.values());
    }

    @Override
    public List<Sample> latestOfEveryCar(String path) {
        Map<String, Sample> byVin = new TreeMap<>();
        for (Sample sample : hot.latestOfEveryCar(path)) {
            byVin.put(sample.vin().value(), sample);
        }
        for (StoredRow row : newest.values()) {
            if (row.path().equals(path)) {
                Vin vin = Vin.of(row.series().substring(0, row.series().indexOf(SamplesTable.SEPARATOR)));
                byVin.merge(vin.value(), sample(vin, row), ArchivedSampleStore::newerSample);
            }
        }
        return List.copyOf(byVin.values());
    }

    @Override
    public Map<Vin, List<Sample>> latestAll() {
        Map<Vin, Map<String, Sample>> all = new TreeMap<>(Comparator.comparing(Vin::value));
        hot.latestAll()
                .forEach((vin, samples) -> samples.forEach(
                        s -> all.computeIfAbsent(vin, v -> new TreeMap<>()).put(s.path(), s)));
        for (StoredRow row : newest.values()) {
            Vin vin = Vin.of(row.series().substring(0, row.series().indexOf(SamplesTable.SEPARATOR)));
            all.computeIfAbsent(vin, v -> new TreeMap<>())
                    .merge(row.path(), sample(vin, row), ArchivedSampleStore::newerSample);
        }
        Map<Vin, List<Sample>> result = new TreeMap<>(Comparator.comparing(Vin::value));
        all.forEach((vin, byPath) -> result.put(vin, List.copyOf(byPath.values())));
        return result;
    }

    private Sample sample(Vin vin, StoredRow row) {
        return new Sample(vin, row.tsMs(), row.seq(), row.path(), columns.value(row.kind(), row.num(), row.txt()));
    }

    private static Sample newerSample(Sample a, Sample b) {
        return b.tsMs() > a.tsMs() || (b.tsMs() == a.tsMs() && b.seq() > a.seq()) ? b : a;
    }

    /** {@inheritDoc} Here: the native days, then the archive's files of the same days. */
    @Override
    public long retain(Duration retention, Instant now) {
        long dropped = hot.retain(retention, now);
        LocalDate cutoff = LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC);
        int files = archive.deleteBefore(cutoff);
        if (files > 0) {
            loadNewest();
            LOG.info("history retention deleted {} archived day(s) before {}", files, cutoff);
        }
        return dropped + files;
    }

    /** The native store below the archive. */
    QuestDbSampleStore hot() {
        return hot;
    }

    /** Days in the archive with a readable file. */
    public int archivedDays() {
        return archive.days().size();
    }

    /** Archived days whose file is unreadable now (their queries fail; every other day is served). */
    public int badArchiveDays() {
        return archive.badDays();
    }

    /** Archive reads that failed since open. */
    public long archiveReadFailures() {
        return archive.readFailures();
    }

    /** Bytes of the archive's files. */
    public long archiveBytes() {
        return archive.bytes();
    }

    @Override
    public void close() {
        try {
            hot.close();
        } finally {
            archive.close();
        }
    }
}
