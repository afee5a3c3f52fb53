package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.BindVariableService;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.griffin.engine.functions.bind.BindVariableServiceImpl;
import io.tsunagu.protocol.TsunaguException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs read-only SQL against an embedded QuestDB engine with positional bind variables ({@code $1, $2, ...}). Each call
 * gets its own execution context because QuestDB's contexts are not thread-safe; the engine's reader pool makes that
 * cheap. Thread-safe.
 */
public final class QuestDbReader {

    /** A bind value for a TIMESTAMP parameter, in QuestDB's unit (microseconds since the epoch). */
    public record Micros(long value) {
        public static Micros ofMillis(long epochMs) {
            return new Micros(Math.multiplyExact(epochMs, 1000L));
        }
    }

    private final CairoEngine engine;

    public QuestDbReader(CairoEngine engine) {
        this.engine = engine;
    }

    /**
     * Streams the rows of {@code sql} to {@code onRow} until it returns false or the rows end.
     *
     * @param binds {@link String} or {@link Micros} values for {@code $1, $2, ...}
     */
    public void forEach(String sql, List<?> binds, Predicate<Record> onRow) {
        BindVariableService bindings = new BindVariableServiceImpl(engine.getConfiguration());
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, bindings);
            bind(bindings, binds);
            try (RecordCursorFactory factory = engine.select(sql, context);
                    RecordCursor cursor = factory.getCursor(context)) {
                Record row = cursor.getRecord();
                while (cursor.hasNext() && onRow.test(row)) {
                    // the predicate consumed the row
                }
            }
        } catch (SqlException e) {
            throw new TsunaguException("history_query_failed", "history query failed: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            if (e instanceof TsunaguException tsunagu) {
                throw tsunagu;
            }
            throw new TsunaguException("history_query_failed", "history query failed: " + e.getMessage(), true, e);
        }
    }

    /** The single {@code long} the query returns (for {@code count()}), or 0 when it returns no row. */
    public long singleLong(String sql, List<?> binds) {
        long[] result = {0};
        forEach(sql, binds, row -> {
            result[0] = row.getLong(0);
            return false;
        });
        return result[0];
    }

    private static void bind(BindVariableService bindings, List<?> binds) throws SqlException {
        for (int i = 0; i < binds.size(); i++) {
            switch (binds.get(i)) {
                case String text -> bindings.setStr(i, text);
                case Micros micros -> bindings.setTimestamp(i, micros.value());
                default -> throw new IllegalArgumentException("unsupported bind value " + binds.get(i));
            }
        }
    }
}
