package io.tsunagu.server.history;

import io.questdb.cairo.CairoConfiguration;
import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.CommitMode;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.wal.WalWriter;
import io.questdb.griffin.engine.table.parquet.ParquetCompression;
import io.questdb.std.str.Utf8String;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.history.internal.ColdPartitions;
import io.tsunagu.server.history.internal.QuestDbHistoryQueries;
import io.tsunagu.server.history.internal.QuestDbReader;
import io.tsunagu.server.history.internal.QuestDbReader.Micros;
import io.tsunagu.server.history.internal.SamplesTable;
import io.tsunagu.server.history.internal.SeriesDirectory;
import io.tsunagu.server.history.internal.StoredRows;
import io.tsunagu.server.history.internal.ValueColumns;
import io.tsunagu.server.history.internal.WalApplier;
import io.tsunagu.server.history.internal.WalWriterRenewal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SampleStore} on embedded QuestDB: one table {@code samples}, partitioned by UTC day, columnar and compressed
 * by type; {@code SAMPLE BY} downsamples, {@code LATEST ON} finds latest values, dropping a day partition is retention.
 *
 * <p><b>Why a WAL table.</b> Duplicates (a car re-sending a batch after a lost PUBACK, possibly after a server restart)
 * must be stored once. QuestDB deduplicates only WAL tables ({@code DEDUP UPSERT KEYS(ts, vin, path, seq)}; a non-WAL
 * table rejects the clause). The engine then deduplicates within a batch, across batches and across restarts, over the
 * whole table and for out-of-order data, which our own check on a non-WAL {@code TableWriter} would have to re-implement
 * with an index or a look-back window. The price is a second write (WAL, then table) per commit.
 *
 * <p><b>Acknowledged on the WAL commit, applied on its own thread</b> (issue 3). A WAL commit is invisible until
 * QuestDB applies it to the table (out-of-order merge, de-duplication, {@code series} index, column msync). A {@link
 * WalApplier} thread applies committed transactions. By default {@link #appendDurably} returns once the WAL commit is
 * fsynced ({@value #ACK_BEFORE_APPLY_PROPERTY}{@code =false} makes it wait for the apply too); the applier applies,
 * merging all that gathered since its last round into one (rounds at most every {@value #APPLY_ROUND_INTERVAL_MS} ms
 * unless a reader waits), and readers see whole appends in order once applied ({@link #awaitVisible} waits for that).
 * Appends wait when the table is {@value #MAX_UNAPPLIED_TXNS} commits behind. At open, WAL transactions committed
 * before a crash but not yet applied are applied before the store is returned. At the store level this applies 4-8x
 * more rows per second than waiting for each apply, because a round merges many commits; in {@code ingest-fleet} on a
 * quiet machine it kept up with 2,000 msg/s at p50 32 ms where waiting for the apply fell behind (docs/architecture.md,
 * "History commit made fast"). Independently, {@link #O3_SPLIT_MIN_SIZE_BYTES} stops each out-of-order commit from
 * rewriting up to 50 MB of the newest partition.
 *
 * <p><b>Durability.</b> The engine runs with {@code cairo.commit.mode=sync}: the WAL segment and the sequencer's
 * transaction log are fsynced on commit, so a returned append survives a power loss. The apply stays synced too: QuestDB
 * purges applied WAL segments, and a table apply that was not synced could not be redone from them after a power loss
 * (the table's own transaction file would claim it applied).
 *
 * <p><b>The WAL writer is renewed</b> once the table knows series it does not ({@link WalWriterRenewal}): QuestDB's
 * pooled writer keeps the symbol counts of the table it was created on and would otherwise write every later series
 * again, as a symbol-map diff, on every commit (issue 3, docs/architecture.md "Storage cost per message").
 *
 * <p>Threading: {@link #appendDurably} and {@link #retain} serialize on one lock (call appends from one thread); reads
 * are thread-safe and run concurrently with writes and with the apply thread.
 */
public final class QuestDbSampleStore implements SampleStore {
    private static final Logger LOG = LoggerFactory.getLogger(QuestDbSampleStore.class);
    private static final String TABLE = SamplesTable.NAME;
    private static final int VIN = SamplesTable.VIN;
    private static final int PATH = SamplesTable.PATH;
    private static final int SEQ = SamplesTable.SEQ;
    private static final int KIND = SamplesTable.KIND;
    private static final int NUM = SamplesTable.NUM;
    private static final int TXT = SamplesTable.TXT;
    private static final int SERIES = SamplesTable.SERIES;
    private static final int MAX_APPLY_ROUNDS = 1000;
    private static final int PARQUET_ZSTD_LEVEL = 9;
    /** Appends wait once the table is this many WAL commits behind (a few seconds of commits under load). */
    private static final int MAX_UNAPPLIED_TXNS = 256;

    private static final Duration APPLY_STALL_TIMEOUT = Duration.ofSeconds(60);
    /**
     * JVM switch ({@code -Dtsunagu.history.ack-before-apply=false} turns it off): on by default, {@link #appendDurably}
     * returns on the fsynced WAL commit and the apply runs behind it; off, it also waits for the apply (the earlier
     * behaviour). Measured in docs/architecture.md, "History commit made fast".
     */
    static final String ACK_BEFORE_APPLY_PROPERTY = "tsunagu.history.ack-before-apply";
    /**
     * Least time between apply rounds while nobody waits: commits gathered meanwhile are merged in one round. A round
     * msyncs every column, index and symbol file it touched, whatever its size: at 4,000 msg/s, 250 ms instead of 50
     * ms cut the process's msync+fsync calls from ≈ 1,390/s to ≈ 750/s (docs/architecture.md, "Durable commit cost").
     * Readers that need the newest data call {@link #awaitVisible}, which starts a round at once.
     */
    private static final long APPLY_ROUND_INTERVAL_MS = 250;
    /**
     * An out-of-order commit into the newest partition splits it where the new rows begin once the rows before that
     * point exceed this size, instead of rewriting them (QuestDB's default, 50 MB, rewrote up to 50 MB per commit).
     */
    static final long O3_SPLIT_MIN_SIZE_BYTES = 1 << 20;

    private final CairoEngine engine;
    private final TableToken table;
    private final WalApplier applier;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ValueColumns columns = new ValueColumns();
    private final QuestDbReader reader;
    private final QuestDbHistoryQueries queries;
    private final ColdPartitions cold;
    private final StoredRows storedRows;
    private final WalWriterRenewal walWriterRenewal;
    private final boolean ackBeforeApply;
    private volatile boolean closed;

    private QuestDbSampleStore(CairoEngine engine, TableToken table, SignalCatalog catalog, boolean ackBeforeApply) {
        this.engine = engine;
        this.ackBeforeApply = ackBeforeApply;
        this.table = table;
        this.applier = new WalApplier(engine, table, APPLY_ROUND_INTERVAL_MS);
        this.reader = new QuestDbReader(engine);
        this.queries = new QuestDbHistoryQueries(
                TABLE,
                reader,
                columns,
                catalog,
                new SeriesDirectory(engine, table),
                Long.getLong(QuestDbHistoryQueries.SCAN_MAX_ROWS_PROPERTY, QuestDbHistoryQueries.SCAN_MAX_ROWS),
                applier::visibilityVersion);
        this.cold = new ColdPartitions(TABLE, engine, reader, sql -> execute(engine, sql), this::applyWal);
        this.storedRows = new StoredRows(reader, engine, table);
        this.walWriterRenewal =
                new WalWriterRenewal(engine, table, WalWriterRenewal.CHECK_INTERVAL_MS, System::nanoTime);
    }

    /**
     * QuestDB logs through its own logger to stdout, not SLF4J. Its configuration is chosen by the JVM-wide system
     * property {@code out} (a classpath resource or file), read once when QuestDB first logs; unless the operator set
     * it, point it at our configuration that keeps only errors.
     */
    private static void quietQuestDbLog() {
        if (System.getProperty(QUESTDB_LOG_PROPERTY) == null) {
            System.setProperty(QUESTDB_LOG_PROPERTY, "/io/tsunagu/server/history/questdb-log.conf");
        }
    }

    private static final String QUESTDB_LOG_PROPERTY = "out";

    /**
     * Opens (creating if needed) the store in {@code dir}; a directory is owned by one open store at a time. Signals
     * are typed by the bundled VSS 6.0 catalog; a server with an overlay uses {@link #open(Path, SignalCatalog)}.
     */
    public static QuestDbSampleStore open(Path dir) {
        return open(dir, SignalCatalog.vss6());
    }

    /**
     * As {@link #open(Path)}; {@code catalog} (the one ingest validates against) tells which signals are numeric, so
     * a numeric aggregate over a text signal is refused without reading the stored rows.
     */
    public static QuestDbSampleStore open(Path dir, SignalCatalog catalog) {
        return open(dir, catalog, Boolean.parseBoolean(System.getProperty(ACK_BEFORE_APPLY_PROPERTY, "true")));
    }

    /**
     * As {@link #open(Path, SignalCatalog)}; with {@code ackBeforeApply} {@link #appendDurably} returns once the WAL
     * commit is fsynced and reads see it after the apply thread applied it ({@link #awaitVisible}); without, it also
     * waits for the apply.
     */
    public static QuestDbSampleStore open(Path dir, SignalCatalog catalog, boolean ackBeforeApply) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create history directory " + dir, e);
        }
        quietQuestDbLog();
        CairoEngine engine = new CairoEngine(syncCommitConfiguration(dir));
        try {
            QuestDbSampleStore store =
                    new QuestDbSampleStore(engine, SamplesTable.create(engine), catalog, ackBeforeApply);
            store.applier.applyAll(); // what a crash left committed to the WAL but unapplied
            SamplesTable.migrate(engine, store.table, store.applier::applyAll);
            store.cold.load();
            store.applier.start();
            LOG.info("history store open at {}", dir);
            return store;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private static CairoConfiguration syncCommitConfiguration(Path dir) {
        return new DefaultCairoConfiguration(dir.toAbsolutePath().toString()) {
            @Override
            public int getCommitMode() {
                return CommitMode.SYNC;
            }

            /** Cold days ({@link #convertColdDays}): zstd, not QuestDB's default lz4, for the smaller files. */
            @Override
            public int getPartitionEncoderParquetCompressionCodec() {
                return ParquetCompression.COMPRESSION_ZSTD;
            }

            @Override
            public int getPartitionEncoderParquetCompressionLevel() {
                return PARQUET_ZSTD_LEVEL;
            }

            @Override
            public long getPartitionO3SplitMinSize() {
                return O3_SPLIT_MIN_SIZE_BYTES;
            }
        };
    }

    @Override
    public void appendDurably(List<Sample> samples) {
        ensureOpen();
        if (samples.isEmpty()) {
            return;
        }
        samples.forEach(QuestDbSampleStore::checkStorable);
        writeLock.lock();
        try {
            applier.failIfSuspended();
            awaitApplyBacklog();
            thawColdDays(samples);
            writeWal(samples);
            applier.committed();
            if (!ackBeforeApply) {
                awaitApplied(applier.committedTxn());
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Holds appends back while the table is far behind its log, so the unapplied WAL (and the lag) stays bounded. */
    private void awaitApplyBacklog() {
        long needed = applier.committedTxn() - MAX_UNAPPLIED_TXNS;
        if (applier.appliedTxn() < needed) {
            awaitApplied(needed);
        }
    }

    private void awaitApplied(long txn) {
        if (!applier.awaitApplied(txn, APPLY_STALL_TIMEOUT)) {
            throw new TsunaguException(
                    "history_unavailable",
                    "history table applied its write-ahead log only up to transaction " + applier.appliedTxn() + " of "
                            + txn + " within " + APPLY_STALL_TIMEOUT.toSeconds() + " s",
                    true);
        }
    }

    private void writeWal(List<Sample> samples) {
        WalCommitEvent event = new WalCommitEvent();
        event.begin();
        boolean renew;
        try (WalWriter writer = engine.getWalWriter(table)) {
            try {
                appendRows(writer, samples);
                writer.commit();
            } catch (RuntimeException e) {
                writer.rollback();
                throw e;
            }
            renew = walWriterRenewal.due(writer);
        } catch (RuntimeException e) {
            throw new TsunaguException("history_write_failed", "history append failed: " + e.getMessage(), true, e);
        }
        if (renew) {
            walWriterRenewal.renew(); // the writer is back in the pool, committed: see WalWriterRenewal
        }
        event.samples = samples.size();
        event.commit();
    }

    private void appendRows(WalWriter writer, List<Sample> samples) {
        for (Sample sample : samples) {
            TableWriter.Row row = writer.newRow(Micros.ofMillis(sample.tsMs()).value());
            row.putSym(VIN, sample.vin().value());
            row.putSym(PATH, sample.path());
            row.putSym(SERIES, SamplesTable.series(sample.vin(), sample.path()));
            row.putLong(SEQ, sample.seq());
            row.putByte(KIND, columns.kind(sample.value()));
            row.putDouble(NUM, columns.number(sample.value()));
            String text = columns.text(sample.value());
            if (text != null) {
                row.putVarchar(TXT, new Utf8String(text));
            }
            row.append();
        }
    }

    /**
     * Applies everything committed to the WAL so far and waits until readers see it: structure changes (a cold day's
     * conversion, a thaw, a retention drop) must be applied before the next step relies on them.
     */
    private void applyWal() {
        applier.committed();
        awaitApplied(applier.committedTxn());
    }

    /** A late sample for a Parquet day: that day goes back to native first (see {@link ColdPartitions}). */
    private void thawColdDays(List<Sample> samples) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Sample sample : samples) {
            min = Math.min(min, sample.tsMs());
            max = Math.max(max, sample.tsMs());
        }
        cold.thawFor(Micros.ofMillis(min).value(), Micros.ofMillis(max).value());
    }

    /**
     * Converts every UTC day that ended at least {@code coldAfter} before {@code now} (counted in whole days: the
     * cut-off is {@code now - coldAfter} truncated to its day) to Parquet, QuestDB's compressed in-place format; the
     * day being written (the newest) is never converted. Queries
     * read converted days as before. A later sample for a converted day converts it back to native before it is
     * written; the next call converts it again.
     *
     * @return the days converted, oldest first, with their size before and after
     */
    public List<ColdDay> convertColdDays(Duration coldAfter, Instant now) {
        ensureOpen();
        if (coldAfter.isNegative() || coldAfter.isZero()) {
            throw new TsunaguException("invalid_cold_after", "cold-after must be positive, got " + coldAfter, false);
        }
        writeLock.lock();
        try {
            applyWal(); // acknowledged samples of those days must be in the table before it is rewritten
            return cold.convertBefore(now.minus(coldAfter)).stream()
                    .map(day -> new ColdDay(day.day(), day.rows(), day.nativeBytes(), day.parquetBytes()))
                    .toList();
        } finally {
            writeLock.unlock();
        }
    }

    /** Parquet days converted back to native because late samples arrived for them, since open. */
    public long coldDaysThawed() {
        return cold.thawed();
    }

    /** Days stored in Parquet now. */
    public int coldDays() {
        return cold.parquetDays();
    }

    /**
     * The cold archive's hook ({@link ArchivedSampleStore}): waits until reads see every acknowledged sample, hands
     * {@code day}'s rows to {@code export}, which returns only once they are durable elsewhere and returns how many
     * native rows it took, and then, under the write lock, drops the day's partition if it still holds exactly that
     * many rows. The export runs outside the lock, so ingest goes on meanwhile; a late sample that reached the day
     * during the export (the count grew: rows are never deleted, and a re-sent sample has the same identity and value)
     * keeps the day in place for the next run, which merges it. An exception from {@code export} leaves the day in
     * place. A crash after {@code export} but before the drop leaves the day in both places; the archive's reads
     * de-duplicate, and the next run exports the day again (idempotent) and drops it.
     *
     * @return whether the partition was dropped
     */
    public boolean archiveDay(LocalDate day, ToLongFunction<StoredRows> export) {
        ensureOpen();
        if (!awaitVisible(APPLY_STALL_TIMEOUT)) {
            throw new TsunaguException("history_unavailable", "history table did not apply its WAL in time", true);
        }
        long exported = export.applyAsLong(storedRows);
        writeLock.lock();
        try {
            applyWal();
            long rows = storedRows.countOfDay(day);
            if (rows != exported) {
                LOG.info(
                        "history archive: {} got {} late row(s) during its export; kept for the next run",
                        day,
                        rows - exported);
                return false;
            }
            execute(engine, "ALTER TABLE " + TABLE + " DROP PARTITION LIST '" + day + "'");
            applyWal();
            cold.load(); // the day may have been one of QuestDB's Parquet days
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Read access to the table's rows for the cold archive (closed days, late rows of archived days). */
    public StoredRows storedRows() {
        ensureOpen();
        return storedRows;
    }

    private static void checkStorable(Sample sample) {
        if (sample.tsMs() < 0 || sample.tsMs() > HistoryQuery.MAX_TS_MS) {
            throw new TsunaguException(
                    "invalid_sample",
                    "sample time " + sample.tsMs() + " ms of " + sample.path() + " is outside 1970..9999",
                    false);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: until the apply thread has applied every WAL transaction committed when this call began.
     */
    @Override
    public boolean awaitVisible(Duration timeout) {
        ensureOpen();
        return applier.awaitApplied(applier.committedTxn(), timeout);
    }

    @Override
    public HistoryPage query(HistoryQuery query) {
        ensureOpen();
        return queries.page(query);
    }

    @Override
    public List<Sample> latest(Vin vin) {
        ensureOpen();
        return queries.latest(vin);
    }

    @Override
    public List<Sample> latestOfEveryCar(String path) {
        ensureOpen();
        return queries.latestOfEveryCar(path);
    }

    @Override
    public Map<Vin, List<Sample>> latestAll() {
        ensureOpen();
        return queries.latestAll();
    }

    @Override
    public long retain(Duration retention, Instant now) {
        ensureOpen();
        if (retention.isNegative() || retention.isZero()) {
            throw new TsunaguException("invalid_retention", "retention must be positive, got " + retention, false);
        }
        Instant cutoff = now.minus(retention).truncatedTo(ChronoUnit.DAYS);
        long cutoffMicros = Micros.ofMillis(Math.max(0, cutoff.toEpochMilli())).value();
        writeLock.lock();
        try {
            long days = reader.singleLong(
                            "SELECT count() FROM table_partitions('" + TABLE + "') WHERE maxTimestamp < "
                                    + cutoffMicros,
                            List.of())
                    + cold.daysBefore(cutoffMicros);
            if (days > 0) {
                execute(engine, "ALTER TABLE " + TABLE + " DROP PARTITION WHERE ts < " + cutoffMicros);
                applyWal();
                cold.load(); // dropped days may have been Parquet
                LOG.info("history retention dropped {} day(s) before {}", days, cutoff);
            }
            return days;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            applier.close();
            reader.close();
            engine.close();
            LOG.info("history store closed");
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new TsunaguException("history_closed", "history store is closed", false);
        }
    }

    private static void execute(CairoEngine engine, String sql) {
        SamplesTable.execute(engine, sql);
    }
}
