package io.tsunagu.bench.history;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.griffin.engine.functions.bind.BindVariableServiceImpl;
import io.tsunagu.protocol.Vin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's raw API: QuestDB SQL, written as its documentation suggests, on the very table Tsunagu's store wrote
 * (opened after the store is closed, so both read the same files). One statement per answer, compiled per call as
 * Tsunagu's store does, bind variables for the values, every row read into Java. The embedded engine runs a query on
 * the calling thread (no worker pool), as inside Tsunagu. Not thread-safe.
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
        String sql = "SELECT ts, avg(num) FROM samples WHERE vin = $1 AND path = $2 AND ts >= $3 AND ts < $4"
                + " SAMPLE BY " + stepMs + "T ALIGN TO CALENDAR";
        return rows(
                sql,
                List.of(vin.value(), path, fromMs, toMs),
                row -> new Answer.Row(path, millis(row, 0), row.getDouble(1)));
    }

    @Override
    public Answer raw(Vin vin, long fromMs, long toMs) {
        String sql = "SELECT ts, path, kind, num, txt FROM samples WHERE vin = $1 AND ts >= $2 AND ts < $3 ORDER BY ts";
        return rows(sql, List.of(vin.value(), fromMs, toMs), row -> {
            row.getByte(2);
            row.getVarcharA(4); // read like a typed answer would, though the data set holds no text
            return new Answer.Row(row.getSymA(1).toString(), millis(row, 0), row.getDouble(3));
        });
    }

    @Override
    public Answer latestOfEveryCar(String path) {
        String sql = "SELECT vin, ts, num FROM samples WHERE path = $1 LATEST ON ts PARTITION BY vin";
        return rows(
                sql, List.of(path), row -> new Answer.Row(row.getSymA(0).toString(), millis(row, 1), row.getDouble(2)));
    }

    private interface RowReader {
        Answer.Row read(Record row);
    }

    /** Runs {@code sql}: a {@link String} bind is a string, a {@link Long} a timestamp in epoch ms. */
    private Answer rows(String sql, List<Object> binds, RowReader reader) {
        BindVariableServiceImpl bindings = new BindVariableServiceImpl(engine.getConfiguration());
        List<Answer.Row> rows = new ArrayList<>();
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, bindings);
            for (int i = 0; i < binds.size(); i++) {
                switch (binds.get(i)) {
                    case String text -> bindings.setStr(i, text);
                    case Long epochMs -> bindings.setTimestamp(i, epochMs * 1_000);
                    default -> throw new IllegalArgumentException("unsupported bind " + binds.get(i));
                }
            }
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
