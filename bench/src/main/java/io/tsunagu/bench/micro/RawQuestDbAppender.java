package io.tsunagu.bench.micro;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.CommitMode;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.TableWriterAPI;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.wal.ApplyWal2TableJob;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.std.str.Utf8String;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline: QuestDB's own append API, used as its documentation shows, on a table with the columns of Tsunagu's
 * {@code samples} table and the same commit mode ({@code SYNC}: fsync on every commit). One writer stays open for the
 * whole run. With {@code wal} the table is the same WAL table with the same deduplication keys and each commit is
 * applied to the table before {@link #append} returns, as Tsunagu does for read-your-writes; without, it is a plain
 * table written by a {@link TableWriter}. Single-threaded.
 */
final class RawQuestDbAppender implements SampleAppender {
    /**
     * Tsunagu's layout ({@code SamplesTable}): the series key {@code vin/path} is the only index, at 32 row ids per
     * block, so the ratio compares writers of the same table, not two layouts (until 2026-12-01 this kept the earlier
     * {@code vin} index).
     */
    private static final String COLUMNS = " (ts TIMESTAMP, vin SYMBOL CAPACITY 4096 CACHE,"
            + " path SYMBOL CAPACITY 2048 CACHE, seq LONG, kind BYTE, num DOUBLE, txt VARCHAR,"
            + " series SYMBOL CAPACITY 262144 NOCACHE INDEX CAPACITY 32) TIMESTAMP(ts) PARTITION BY DAY";

    private static final String WAL = " WAL DEDUP UPSERT KEYS(ts, vin, path, seq)";
    private static final String NO_WAL = " BYPASS WAL";
    private static final String QUESTDB_LOG_PROPERTY = "out";
    private static final String QUIET_LOG = "/io/tsunagu/server/history/questdb-log.conf";

    private final CairoEngine engine;
    private final TableToken table;
    private TableWriterAPI writer;
    private final ApplyWal2TableJob applyJob;
    private final boolean wal;

    private RawQuestDbAppender(CairoEngine engine, TableToken table, boolean wal) {
        this.engine = engine;
        this.table = table;
        this.wal = wal;
        this.writer = wal ? engine.getWalWriter(table) : engine.getWriter(table, "bench");
        this.applyJob = new ApplyWal2TableJob(engine, 0);
    }

    /** Creates table {@code samples} in a new engine on {@code dir}. */
    static RawQuestDbAppender open(Path dir, boolean wal) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (System.getProperty(QUESTDB_LOG_PROPERTY) == null) {
            System.setProperty(QUESTDB_LOG_PROPERTY, QUIET_LOG); // as QuestDbSampleStore: QuestDB logs errors only
        }
        CairoEngine engine = new CairoEngine(new DefaultCairoConfiguration(dir.toString()) {
            @Override
            public int getCommitMode() {
                return CommitMode.SYNC;
            }
        });
        try {
            execute(engine, "CREATE TABLE samples" + COLUMNS + (wal ? WAL : NO_WAL));
            return new RawQuestDbAppender(engine, engine.verifyTableName("samples"), wal);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    @Override
    public void append(List<Sample> samples) {
        for (Sample sample : samples) {
            TableWriter.Row row = writer.newRow(sample.tsMs() * 1_000);
            row.putSym(1, sample.vin().value());
            row.putSym(2, sample.path());
            row.putSym(7, sample.vin().value() + '/' + sample.path());
            row.putLong(3, sample.seq());
            switch (sample.value()) {
                case SignalValue.Num n -> {
                    row.putByte(4, (byte) 0);
                    row.putDouble(5, n.value());
                }
                case SignalValue.Bool b -> {
                    row.putByte(4, (byte) 1);
                    row.putDouble(5, b.value() ? 1 : 0);
                }
                case SignalValue.Text t -> {
                    row.putByte(4, (byte) 2);
                    row.putVarchar(6, new Utf8String(t.value()));
                }
                default -> throw new IllegalArgumentException("the EV fleet sends no list values: " + sample);
            }
            row.append();
        }
        writer.commit();
        if (wal) {
            applyCommitted();
        }
    }

    private void applyCommitted() {
        long target = engine.getTableSequencerAPI().lastTxn(table);
        while (engine.getTableSequencerAPI().getTxnTracker(table).getWriterTxn() < target) {
            if (engine.getTableSequencerAPI().isSuspended(table)) {
                throw new IllegalStateException("baseline table suspended while applying its WAL");
            }
            applyJob.drain(0);
        }
    }

    /**
     * Converts every day before the newest to Parquet (QuestDB's compressed format for cold partitions). The newest
     * day stays native, so {@code sealingTsMs}, a time in a later day, gets one empty row first. Plain table only.
     */
    void convertClosedDaysToParquet(long sealingTsMs) {
        if (wal) {
            throw new IllegalStateException("Parquet conversion is measured on the plain table only");
        }
        writer.newRow(sealingTsMs * 1_000).append();
        writer.commit();
        writer.close(); // back to the pool: ALTER TABLE takes the table's writer
        execute(engine, "ALTER TABLE samples CONVERT PARTITION TO PARQUET WHERE ts < " + sealingTsMs * 1_000);
        writer = engine.getWriter(table, "bench");
    }

    private static void execute(CairoEngine engine, String sql) {
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, null);
            engine.execute(sql, context);
        } catch (SqlException e) {
            throw new IllegalStateException("baseline statement failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        writer.close();
        applyJob.close();
        engine.close();
    }
}
