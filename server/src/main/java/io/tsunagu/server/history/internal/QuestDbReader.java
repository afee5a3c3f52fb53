package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.BindVariableService;
import io.questdb.cairo.sql.PageFrameCursor;
import io.questdb.cairo.sql.PartitionFrameCursorFactory;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.cairo.sql.TableReferenceOutOfDateException;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.griffin.engine.functions.bind.BindVariableServiceImpl;
import io.tsunagu.protocol.TsunaguException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs read-only SQL against an embedded QuestDB engine with positional bind variables ({@code $1, $2, ...}).
 *
 * <p><b>Compiled statements are reused.</b> Compiling was 10 % of a raw page (issue 3 profile), and a paged answer asks
 * the same SQL once per page. A compiled {@link RecordCursorFactory} serves one cursor at a time and its execution
 * context is not thread-safe, so each SQL text keeps a queue of idle (factory, context, bind variables) triples: a call
 * takes one or compiles a new one, binds the new values, and puts it back after the cursor closed. This is how
 * QuestDB's own network servers cache statements. At most {@link #MAX_CACHED_SQL} texts are kept, the least recently
 * used one is dropped for a new one (SQL with literals, whose symbol keys are resolved when compiling, varies with its
 * values). A factory made stale by a table change is compiled again once.
 *
 * <p>Thread-safe.
 */
public final class QuestDbReader implements AutoCloseable {
    /** Distinct SQL texts kept compiled: the store's shapes (path counts, steps) and its fleet-wide latest chunks. */
    static final int MAX_CACHED_SQL = 128;

    /** A bind value for a TIMESTAMP parameter, in QuestDB's unit (microseconds since the epoch). */
    public record Micros(long value) {
        public static Micros ofMillis(long epochMs) {
            return new Micros(Math.multiplyExact(epochMs, 1000L));
        }
    }

    private final CairoEngine engine;
    /** Idle compiled statements per SQL text, least recently used first; guarded by itself. */
    private final LinkedHashMap<String, ArrayDeque<Compiled>> idle = new LinkedHashMap<>(16, 0.75f, true);

    private boolean closed;

    public QuestDbReader(CairoEngine engine) {
        this.engine = engine;
    }

    /**
     * Streams the rows of {@code sql} to {@code onRow} until it returns false or the rows end.
     *
     * @param binds {@link String} or {@link Micros} values for {@code $1, $2, ...}
     */
    public void forEach(String sql, List<?> binds, Predicate<Record> onRow) {
        try {
            try {
                runOnce(sql, take(sql, binds), onRow);
            } catch (TableReferenceOutOfDateException stale) {
                runOnce(sql, compile(sql, binds), onRow); // thrown when opening the cursor, before any row
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

    /**
     * Runs {@code sql} once per entry of {@code bindsPerCursor}, each returning rows in time order, and streams their
     * rows merged in time order ({@link TimeMerge}) to {@code onRow} until it returns false or the rows end. All cursors
     * are open at once, one table reader each: at most {@link TimeMerge#MAX_CURSORS}.
     *
     * @param tsColumn the timestamp column the rows are ordered by
     */
    public void forEachMerged(
            String sql, List<? extends List<?>> bindsPerCursor, int tsColumn, Predicate<Record> onRow) {
        if (bindsPerCursor.size() > TimeMerge.MAX_CURSORS) {
            throw new IllegalArgumentException("at most " + TimeMerge.MAX_CURSORS + " merged cursors");
        }
        List<Compiled> taken = new ArrayList<>(bindsPerCursor.size());
        List<RecordCursor> cursors = new ArrayList<>(bindsPerCursor.size());
        boolean failed = true;
        try {
            for (List<?> binds : bindsPerCursor) {
                cursors.add(open(sql, binds, taken));
            }
            TimeMerge.run(cursors, tsColumn, onRow);
            failed = false;
        } catch (SqlException e) {
            throw new TsunaguException("history_query_failed", "history query failed: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            if (e instanceof TsunaguException tsunagu) {
                throw tsunagu;
            }
            throw new TsunaguException("history_query_failed", "history query failed: " + e.getMessage(), true, e);
        } finally {
            cursors.forEach(RecordCursor::close);
            for (Compiled compiled : taken) {
                if (failed) {
                    compiled.close();
                } else {
                    release(sql, compiled);
                }
            }
        }
    }

    /** A cursor of {@code sql} with {@code binds}; the statement it came from is added to {@code taken}. */
    private RecordCursor open(String sql, List<?> binds, List<Compiled> taken) throws SqlException {
        Compiled compiled = take(sql, binds);
        try {
            RecordCursor cursor = compiled.factory.getCursor(compiled.context);
            taken.add(compiled);
            return cursor;
        } catch (TableReferenceOutOfDateException stale) {
            compiled.close();
            Compiled fresh = compile(sql, binds);
            taken.add(fresh);
            return fresh.factory.getCursor(fresh.context);
        } catch (SqlException | RuntimeException e) {
            compiled.close();
            throw e;
        }
    }

    /**
     * Opens {@code sql}'s page frames (the column pages of its table rows, in time order) and returns what
     * {@code onFrames} makes of them. The frames hold one table reader, so they are one state of the table.
     *
     * @throws IllegalArgumentException when {@code sql} is not a plain table read (no page frames)
     */
    public <T> T withPageFrames(String sql, List<?> binds, Function<PageFrameCursor, T> onFrames) {
        try {
            try {
                return framesOnce(sql, take(sql, binds), onFrames);
            } catch (TableReferenceOutOfDateException stale) {
                return framesOnce(sql, compile(sql, binds), onFrames); // thrown when opening, before any frame
            }
        } catch (SqlException e) {
            throw new TsunaguException("history_query_failed", "history query failed: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            if (e instanceof TsunaguException || e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new TsunaguException("history_query_failed", "history query failed: " + e.getMessage(), true, e);
        }
    }

    private <T> T framesOnce(String sql, Compiled compiled, Function<PageFrameCursor, T> onFrames) throws SqlException {
        T result;
        try {
            if (!compiled.factory.supportsPageFrameCursor()) {
                throw new IllegalArgumentException("no page frames for " + sql);
            }
            try (PageFrameCursor frames =
                    compiled.factory.getPageFrameCursor(compiled.context, PartitionFrameCursorFactory.ORDER_ASC)) {
                result = onFrames.apply(frames);
            }
        } catch (SqlException | RuntimeException e) {
            compiled.close();
            throw e;
        }
        release(sql, compiled);
        return result;
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

    /** Releases every idle compiled statement; call before closing the engine. */
    @Override
    public void close() {
        List<Compiled> released = new ArrayList<>();
        synchronized (idle) {
            closed = true;
            idle.values().forEach(released::addAll);
            idle.clear();
        }
        released.forEach(Compiled::close);
    }

    /** How many SQL texts have idle compiled statements (for tests). */
    int cachedTexts() {
        synchronized (idle) {
            return idle.size();
        }
    }

    /** Whether {@code sql} has an idle compiled statement (for tests). */
    boolean isCached(String sql) {
        synchronized (idle) {
            return idle.containsKey(sql);
        }
    }

    private Compiled take(String sql, List<?> binds) throws SqlException {
        Compiled compiled;
        synchronized (idle) {
            ArrayDeque<Compiled> queue = idle.get(sql);
            compiled = queue == null ? null : queue.poll();
        }
        if (compiled == null) {
            return compile(sql, binds);
        }
        try {
            bind(compiled.bindings, binds); // same types as compiled: the setters update the bound functions

            return compiled;
        } catch (SqlException | RuntimeException e) {
            compiled.close();
            throw e;
        }
    }

    private Compiled compile(String sql, List<?> binds) throws SqlException {
        BindVariableService bindings = new BindVariableServiceImpl(engine.getConfiguration());
        SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1);
        try {
            context.with(AllowAllSecurityContext.INSTANCE, bindings);
            bind(bindings, binds);
            return new Compiled(engine.select(sql, context), context, bindings);
        } catch (SqlException | RuntimeException e) {
            context.close();
            throw e;
        }
    }

    private void runOnce(String sql, Compiled compiled, Predicate<Record> onRow) throws SqlException {
        try {
            stream(compiled, onRow);
        } catch (SqlException | RuntimeException e) {
            compiled.close();
            throw e;
        }
        release(sql, compiled);
    }

    private static void stream(Compiled compiled, Predicate<Record> onRow) throws SqlException {
        try (RecordCursor cursor = compiled.factory.getCursor(compiled.context)) {
            Record row = cursor.getRecord();
            while (cursor.hasNext() && onRow.test(row)) {
                // the predicate consumed the row
            }
        }
    }

    private void release(String sql, Compiled compiled) {
        List<Compiled> evicted = new ArrayList<>();
        synchronized (idle) {
            if (closed) {
                evicted.add(compiled);
            } else {
                idle.computeIfAbsent(sql, s -> new ArrayDeque<>()).add(compiled);
                var eldest = idle.entrySet().iterator();
                while (idle.size() > MAX_CACHED_SQL) {
                    evicted.addAll(eldest.next().getValue());
                    eldest.remove();
                }
            }
        }
        evicted.forEach(Compiled::close);
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

    /** A compiled statement with the context and bind variables it was compiled against. */
    private record Compiled(
            RecordCursorFactory factory, SqlExecutionContextImpl context, BindVariableService bindings) {
        void close() {
            factory.close();
            context.close();
        }
    }
}
