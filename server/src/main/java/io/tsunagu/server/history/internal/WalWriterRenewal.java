package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.TableReader;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.wal.WalWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the store's pooled QuestDB WAL writer back for good once the table knows symbols the writer does not, so that
 * the next writer starts from the table's current symbol maps (issue 3, docs/architecture.md "Storage cost per
 * message").
 *
 * <p><b>Why.</b> A QuestDB 9.3.4 {@code WalWriter} reads each symbol column's count from the table once, when it is
 * created, and never again (its symbol map readers keep that count). A value the table gained later — every series of a
 * car that first reported after the writer was created, including the ones this writer itself added and the apply
 * since wrote into the table's map — stays "new" to the writer for its whole life: on every commit it goes into the
 * writer's own map again, is written again into the WAL event file as that transaction's symbol-map diff (a few dozen
 * bytes per series, more than the row's column data), and is looked up again in the table's map by the apply. The
 * writer is pooled and taken by every commit, so in a server started on an empty or growing table that cost stayed for
 * the life of the process. A renewed writer finds those values in the table's map and writes only their keys.
 *
 * <p>The check runs after a commit, at most every {@code checkIntervalMs}: it compares the writer's snapshot of the
 * {@code series} column (every new car or signal brings a new series) with the table's applied count, read through a
 * pooled table reader. Renewing costs a new WAL directory and its files; the old WAL is purged as usual once applied.
 * Durability is unchanged: a writer is only released after its commit returned, so nothing uncommitted is dropped.
 *
 * <p>Threading: one thread (the store's writer, under its write lock).
 */
public final class WalWriterRenewal {
    /** How often the check runs (at most; only after a commit). */
    public static final long CHECK_INTERVAL_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(WalWriterRenewal.class);

    private final CairoEngine engine;
    private final TableToken table;
    private final LongSupplier nanoTime;
    private final long checkIntervalNanos;
    private long lastCheckNanos;
    private long renewals;

    /**
     * @param nanoTime the clock of the check interval ({@code System::nanoTime} outside tests)
     */
    public WalWriterRenewal(CairoEngine engine, TableToken table, long checkIntervalMs, LongSupplier nanoTime) {
        this.engine = engine;
        this.table = table;
        this.nanoTime = nanoTime;
        this.checkIntervalNanos = TimeUnit.MILLISECONDS.toNanos(checkIntervalMs);
        this.lastCheckNanos = nanoTime.getAsLong();
    }

    /**
     * Call after {@code writer} committed, while still holding it: whether the writer should be renewed now (the
     * interval passed and the table's {@code series} map holds values the writer's snapshot lacks).
     */
    public boolean due(WalWriter writer) {
        long now = nanoTime.getAsLong();
        if (now - lastCheckNanos < checkIntervalNanos) {
            return false;
        }
        lastCheckNanos = now;
        try {
            return tableSeriesCount() > writer.getSymbolCountWatermark(SamplesTable.SERIES);
        } catch (RuntimeException e) { // the commit succeeded: a failed check must not fail the append
            LOG.warn("history WAL writer symbol check failed, keeping the writer: {}", e.getMessage());
            return false;
        }
    }

    /** Closes the idle pooled WAL writers (call after the writer went back to the pool); the next one is new. */
    public void renew() {
        engine.releaseAllWalWriters();
        renewals++;
        LOG.debug("history WAL writer renewed ({} so far) to pick up the table's symbols", renewals);
    }

    /** How often {@link #renew()} ran. */
    public long renewals() {
        return renewals;
    }

    private int tableSeriesCount() {
        try (TableReader reader = engine.getReader(table)) {
            return reader.getSymbolMapReader(SamplesTable.SERIES).getSymbolCount();
        }
    }
}
