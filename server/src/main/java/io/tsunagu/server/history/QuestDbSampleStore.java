package io.tsunagu.server.history;

import io.questdb.cairo.CairoConfiguration;
import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.CommitMode;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.wal.WalWriter;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.std.str.Utf8String;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.server.history.internal.QuestDbHistoryQueries;
import io.tsunagu.server.history.internal.QuestDbReader;
import io.tsunagu.server.history.internal.QuestDbReader.Micros;
import io.tsunagu.server.history.internal.ValueColumns;
import io.tsunagu.server.history.internal.WalApplier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p><b>Acknowledged when durable, visible shortly after.</b> A WAL commit is invisible until QuestDB applies it to the
 * table: an out-of-order merge into the day partition, de-duplication, the {@code vin} index update and a sync of the
 * touched columns. {@link #appendDurably} returns as soon as the WAL commit is fsynced; a {@link WalApplier} thread
 * applies committed transactions continuously, many per round under load. Profiling {@code ingest-fleet} showed the
 * apply took most of each commit (index update, column sync) while the WAL commit itself was a small part, and the
 * acknowledgement latency caps each connection's rate. So reads lag appends by about one apply round (see {@link
 * #awaitVisible}); they always see whole commits in commit order. When the apply falls more than {@value
 * #MAX_UNAPPLIED_TXNS} transactions behind, appends wait for it, which makes group commits larger until it catches up.
 * At open, WAL transactions committed before a crash but not yet applied are applied before the store is returned.
 *
 * <p><b>Durability.</b> The engine runs with {@code cairo.commit.mode=sync}: the WAL segment and the sequencer's
 * transaction log are fsynced on commit, so a returned append survives a power loss. The apply syncs the table's
 * columns too (same setting), which keeps the table consistent with the WAL that gets purged after it.
 *
 * <p>Threading: {@link #appendDurably} and {@link #retain} serialize on one lock (call appends from one thread); reads
 * and {@link #awaitVisible} are thread-safe and run concurrently with writes and the apply thread.
 */
public final class QuestDbSampleStore implements SampleStore {
    private static final Logger LOG = LoggerFactory.getLogger(QuestDbSampleStore.class);
    private static final String TABLE = "samples";
    private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE
            + " (ts TIMESTAMP, vin SYMBOL CAPACITY 4096 CACHE" + System.getProperty("tsunagu.index", " INDEX")
            + ", path SYMBOL CAPACITY 2048 CACHE,"
            + " seq LONG, kind BYTE, num DOUBLE, txt VARCHAR)"
            + " TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, vin, path, seq)";
    private static final int VIN = 1;
    private static final int PATH = 2;
    private static final int SEQ = 3;
    private static final int KIND = 4;
    private static final int NUM = 5;
    private static final int TXT = 6;
    /** Unapplied WAL transactions (group commits) at which appends wait for the apply thread. */
    static final int MAX_UNAPPLIED_TXNS = 256;
    /** Longest slice of applying before readers see progress (QuestDB's default is 1 s). */
    private static final long APPLY_TIME_QUOTA_MS = 200;
    /** How long an append waits for the apply thread to catch up before it fails (retriable). */
    private static final Duration APPLY_STALL_TIMEOUT = Duration.ofSeconds(30);

    private final CairoEngine engine;
    private final TableToken table;
    private final WalApplier applier;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ValueColumns columns = new ValueColumns();
    private final QuestDbReader reader;
    private final QuestDbHistoryQueries queries;
    private volatile boolean closed;

    private QuestDbSampleStore(CairoEngine engine, TableToken table) {
        this.engine = engine;
        this.table = table;
        this.applier = new WalApplier(engine, table);
        this.reader = new QuestDbReader(engine);
        this.queries = new QuestDbHistoryQueries(TABLE, reader, columns);
    }

    /** Opens (creating if needed) the store in {@code dir}; a directory is owned by one open store at a time. */
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

    public static QuestDbSampleStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create history directory " + dir, e);
        }
        quietQuestDbLog();
        CairoEngine engine = new CairoEngine(syncCommitConfiguration(dir));
        try {
            execute(engine, CREATE_TABLE);
            QuestDbSampleStore store = new QuestDbSampleStore(engine, engine.verifyTableName(TABLE));
            store.applier.applyAll(); // what a crash left committed but unapplied
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

            @Override
            public long getWalApplyTableTimeQuota() {
                return APPLY_TIME_QUOTA_MS; // the apply publishes progress between slices
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
            writeWal(samples);
            applier.committed();
        } finally {
            writeLock.unlock();
        }
    }

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

    private void writeWal(List<Sample> samples) {
        WalCommitEvent event = new WalCommitEvent();
        event.begin();
        try (WalWriter writer = engine.getWalWriter(table)) {
            try {
                for (Sample sample : samples) {
                    TableWriter.Row row =
                            writer.newRow(Micros.ofMillis(sample.tsMs()).value());
                    row.putSym(VIN, sample.vin().value());
                    row.putSym(PATH, sample.path());
                    row.putLong(SEQ, sample.seq());
                    row.putByte(KIND, columns.kind(sample.value()));
                    row.putDouble(NUM, columns.number(sample.value()));
                    String text = columns.text(sample.value());
                    if (text != null) {
                        row.putVarchar(TXT, new Utf8String(text));
                    }
                    row.append();
                }
                writer.commit();
            } catch (RuntimeException e) {
                writer.rollback();
                throw e;
            }
        } catch (RuntimeException e) {
            throw new TsunaguException("history_write_failed", "history append failed: " + e.getMessage(), true, e);
        }
        event.samples = samples.size();
        event.commit();
    }

    private static void checkStorable(Sample sample) {
        if (sample.tsMs() < 0 || sample.tsMs() > HistoryQuery.MAX_TS_MS) {
            throw new TsunaguException(
                    "invalid_sample",
                    "sample time " + sample.tsMs() + " ms of " + sample.path() + " is outside 1970..9999",
                    false);
        }
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
                    "SELECT count() FROM table_partitions('" + TABLE + "') WHERE maxTimestamp < " + cutoffMicros,
                    List.of());
            if (days > 0) {
                execute(engine, "ALTER TABLE " + TABLE + " DROP PARTITION WHERE ts < " + cutoffMicros);
                applier.committed();
                awaitApplied(applier.committedTxn());
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
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, null);
            engine.execute(sql, context);
        } catch (SqlException e) {
            throw new TsunaguException("history_write_failed", "history statement failed: " + e.getMessage(), false, e);
        }
    }
}
