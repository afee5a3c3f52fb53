package io.tsunagu.bench.history;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.tsunagu.protocol.Vin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's raw API: QuestDB SQL, written as its documentation suggests, on the very table Tsunagu's store wrote
 * (opened after the store is closed, so both read the same files). One statement per answer, compiled per call, every
 * row read into Java: one signal through the table's {@code series} index, a car's raw range by {@code vin} and time
 * (what a QuestDB user writes), values inlined as literals (keys resolved when compiling) and each symbol turned into
 * a Java string once per distinct key ({@code getSymA().toString()} copies the text on every row). The
 * embedded engine runs a query on the calling thread (no worker pool), as inside Tsunagu. Not thread-safe.
 */
public final class QuestDbSqlHistory implements HistoryEngine {
    private static final String QUESTDB_LOG_PROPERTY = "out";
    private static final String QUIET_LOG = "/io/tsunagu/server/history/questdb-log.conf";

    private final CairoEngine engine;

    private QuestDbSqlHistory(CairoEngine engine) {
        this.engine = engine;
    }

    /** Opens the QuestDB directory {@code dir} that holds Tsunagu's {@code samples} table (no store may have it open). */
    public static QuestDbSqlHistory open(Path dir) {
        if (System.getProperty(QUESTDB_LOG_PROPERTY) == null) {
            System.setProperty(QUESTDB_LOG_PROPERTY, QUIET_LOG); // as QuestDbSampleStore: QuestDB logs errors only
        }
        return new QuestDbSqlHistory(new CairoEngine(new DefaultCairoConfiguration(dir.toString())));
    }

    @Override
    public String name() {
        return "questdb-sql";
    }

    @Override
    public Answer downsampled(Vin vin, String path, long fromMs, long toMs, long stepMs) {
        String sql = "SELECT ts, avg(num) FROM samples WHERE series = " + literal(series(vin.value(), path))
                + range(fromMs, toMs) + " SAMPLE BY " + stepMs + "T ALIGN TO CALENDAR";
        return rows(sql, row -> new Answer.Row(path, millis(row, 0), row.getDouble(1)));
    }

    /**
     * What a QuestDB user writes for a car's raw range: the car and the time range, in the table's (time) order. The
     * {@code vin} column has no index in this layout, so the engine scans the range with its JIT-compiled filter; the
     * earlier {@code series IN (the car's series) ORDER BY ts} needed the series list from the symbol map and sorted
     * the whole answer (4.5 ms more per query in a side measurement, docs/architecture.md).
     */
    @Override
    public Answer raw(Vin vin, long fromMs, long toMs) {
        String sql = "SELECT ts, path, kind, num, txt FROM samples WHERE vin = " + literal(vin.value())
                + range(fromMs, toMs);
        SymbolStrings paths = new SymbolStrings();
        return rows(sql, row -> {
            row.getByte(2);
            row.getVarcharA(4); // read like a typed answer would, though the data set holds no text
            return new Answer.Row(paths.of(row, 1), millis(row, 0), row.getDouble(3));
        });
    }

    @Override
    public Answer latestOfEveryCar(String path) {
        String sql =
                "SELECT vin, ts, num FROM samples WHERE path = " + literal(path) + " LATEST ON ts PARTITION BY vin";
        SymbolStrings vins = new SymbolStrings();
        return rows(sql, row -> new Answer.Row(vins.of(row, 0), millis(row, 1), row.getDouble(2)));
    }

    /** The table's series key (Tsunagu's {@code SamplesTable}): VIN, '/', path. */
    private static String series(String vin, String path) {
        return vin + '/' + path;
    }

    private static String range(long fromMs, long toMs) {
        return " AND ts >= " + fromMs * 1_000 + " AND ts < " + toMs * 1_000;
    }

    /** A SQL string literal; VINs and VSS paths hold no quote, but double any anyway. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Java strings of one symbol column by symbol key: the text is copied once per distinct value. */
    private static final class SymbolStrings {
        private final Map<Integer, String> byKey = new HashMap<>();

        String of(Record row, int column) {
            return byKey.computeIfAbsent(
                    row.getInt(column), key -> row.getSymA(column).toString());
        }
    }

    private interface RowReader {
        Answer.Row read(Record row);
    }

    private Answer rows(String sql, RowReader reader) {
        List<Answer.Row> rows = new ArrayList<>();
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, null);
            try (RecordCursorFactory factory = engine.select(sql, context);
                    RecordCursor cursor = factory.getCursor(context)) {
                Record row = cursor.getRecord();
                while (cursor.hasNext()) {
                    rows.add(reader.read(row));
                }
            }
        } catch (SqlException e) {
            throw new IllegalStateException("QuestDB query failed: " + e.getMessage() + ": " + sql, e);
        }
        return new Answer(rows);
    }

    private static long millis(Record row, int column) {
        return Math.floorDiv(row.getTimestamp(column), 1_000L);
    }

    @Override
    public void close() {
        engine.close();
    }
}
