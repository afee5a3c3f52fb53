package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.TableReader;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of the history table {@code samples}, and the one-off migration of a table created by an earlier version.
 *
 * <p><b>The series key</b> (issue 3): {@code series} is a symbol holding {@code vin + '/' + path}, and it is the table's
 * only index. A single signal's range reads only that signal's rows through it (before, the {@code vin} index gave all
 * of the car's rows and {@code path} was compared on each: 1.73 M rows for one signal's day at 20 signals/s); a car's
 * all-signal range is {@code series IN (the car's series)}, whose index scans merge in table order. The {@code vin}
 * index is gone: the write path (the platform's bottleneck) keeps one index up to date per row, as before. The VIN
 * comes first and has exactly 17 characters without {@code /}, so the key parses back unambiguously.
 *
 * <p><b>Migration</b> of a table created without {@code series} (every version before this one), at open, each step
 * applied before the next and each skipped when already done, so an interrupted migration resumes: add the column,
 * fill it for every stored row ({@code UPDATE ... WHERE series IS NULL}: one rewrite of the column, a one-off cost
 * proportional to the stored rows), index it, then drop the {@code vin} index. Rows that reach the table without the
 * key later (a WAL written by an earlier version before a crash, or by an earlier version run again) are filled at the
 * next open; finding none is one index lookup (null has its own index key). New tables are created with the final
 * layout, and both end with {@code series} as column {@value #SERIES}.
 */
public final class SamplesTable {
    /** The table's name. */
    public static final String NAME = "samples";

    public static final int VIN = 1;
    public static final int PATH = 2;
    public static final int SEQ = 3;
    public static final int KIND = 4;
    public static final int NUM = 5;
    public static final int TXT = 6;
    public static final int SERIES = 7;

    /** Separates VIN and path in a series key; not in the VIN alphabet. */
    public static final char SEPARATOR = '/';

    private static final Logger LOG = LoggerFactory.getLogger(SamplesTable.class);
    private static final String SERIES_TYPE = "SYMBOL CAPACITY 262144 NOCACHE";

    /**
     * 32 row ids per index value block, not QuestDB's 256: a day partition allocates at least one block per series, and
     * most of a fleet's series are sparse in a partition (the first of the day, slow or bursty signals). At 256 that
     * was a 2 KB block per series even for a few rows, and applying a commit that touches tens of thousands of series
     * cost 2.8× the CPU of the vin index; at 32 it is 1.6× (docs/architecture.md).
     */
    private static final String SERIES_INDEX = "INDEX CAPACITY 32";

    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + NAME
            + " (ts TIMESTAMP, vin SYMBOL CAPACITY 4096 CACHE, path SYMBOL CAPACITY 2048 CACHE,"
            + " seq LONG, kind BYTE, num DOUBLE, txt VARCHAR, series " + SERIES_TYPE + " " + SERIES_INDEX + ")"
            + " TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, vin, path, seq)";

    private SamplesTable() {}

    /** The series key of one signal of one car. */
    public static String series(Vin vin, String path) {
        return vin.value() + SEPARATOR + path;
    }

    /** Creates the table with the current layout unless it exists (then perhaps in an earlier one). */
    public static TableToken create(CairoEngine engine) {
        execute(engine, CREATE);
        return engine.verifyTableName(NAME);
    }

    /**
     * Brings a table of an earlier layout to the current one; {@code apply} applies the WAL so each step is visible
     * before the next. Call after the WAL committed under the old layout was applied.
     */
    public static void migrate(CairoEngine engine, TableToken table, Runnable apply) {
        if (columnIndex(engine, table, "series") < 0) {
            LOG.info("history table migration: adding the series key column");
            execute(engine, "ALTER TABLE " + NAME + " ADD COLUMN series " + SERIES_TYPE);
            apply.run();
        }
        boolean indexed = indexed(engine, table, "series");
        if (!indexed || anyRow(engine, "SELECT ts FROM " + NAME + " WHERE series IS NULL LIMIT 1")) {
            LOG.info("history table migration: filling the series key of stored rows");
            execute(
                    engine,
                    "UPDATE " + NAME + " SET series = concat(vin, '" + SEPARATOR + "', path)"
                            + " WHERE series IS NULL");
            apply.run();
        }
        if (!indexed) {
            execute(engine, "ALTER TABLE " + NAME + " ALTER COLUMN series ADD " + SERIES_INDEX);
            apply.run();
        }
        if (indexed(engine, table, "vin")) {
            execute(engine, "ALTER TABLE " + NAME + " ALTER COLUMN vin DROP INDEX");
            apply.run();
            LOG.info("history table migration done: series key indexed, vin index dropped");
        }
        if (columnIndex(engine, table, "series") != SERIES) {
            throw new TsunaguException(
                    "history_unavailable",
                    "history table has an unexpected layout: series is not column " + SERIES,
                    false);
        }
    }

    private static int columnIndex(CairoEngine engine, TableToken table, String column) {
        try (TableReader reader = engine.getReader(table)) {
            return reader.getMetadata().getColumnIndexQuiet(column);
        }
    }

    private static boolean indexed(CairoEngine engine, TableToken table, String column) {
        try (TableReader reader = engine.getReader(table)) {
            int index = reader.getMetadata().getColumnIndexQuiet(column);
            return index >= 0 && reader.getMetadata().isColumnIndexed(index);
        }
    }

    /** Whether {@code sql} returns a row. */
    private static boolean anyRow(CairoEngine engine, String sql) {
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, null);
            try (RecordCursorFactory factory = engine.select(sql, context);
                    RecordCursor cursor = factory.getCursor(context)) {
                return cursor.hasNext();
            }
        } catch (SqlException e) {
            throw new TsunaguException("history_unavailable", "history check failed: " + e.getMessage(), false, e);
        }
    }

    /** Runs one DDL or UPDATE statement. */
    public static void execute(CairoEngine engine, String sql) {
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, null);
            engine.execute(sql, context);
        } catch (SqlException e) {
            throw new TsunaguException("history_write_failed", "history statement failed: " + e.getMessage(), false, e);
        }
    }
}
