package io.tsunagu.server.history.internal;

import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import java.util.List;
import java.util.function.Predicate;

/**
 * Merges cursors that each return rows in time order into one stream in time order, the way a car's raw range is read
 * from one index scan per series (issue 3): QuestDB's own {@code series IN (...) ORDER BY ts} sorts every row of the
 * range before returning the first, so a page of 10,000 rows out of the 72,000 of a car's hour read and sorted all of
 * them, on every page. Here each cursor streams its series' rows in table order and the merge stops as soon as the
 * consumer has its page. The current row of every cursor is compared linearly (a car has tens of series; the store
 * merges at most {@link #MAX_CURSORS}). Rows of the same time come in cursor order; callers that need an order within
 * one time sort them ({@link PageBuilder} does). Not thread-safe.
 */
final class TimeMerge {
    /** The most cursors merged at once; each holds a table reader from the engine's pool while it is open. */
    static final int MAX_CURSORS = 32;

    private TimeMerge() {}

    /**
     * Streams the rows of {@code cursors} to {@code onRow} in non-decreasing {@code tsColumn} until it returns false or
     * every cursor ended.
     */
    static void run(List<RecordCursor> cursors, int tsColumn, Predicate<Record> onRow) {
        int count = cursors.size();
        Record[] records = new Record[count];
        long[] heads = new long[count];
        boolean[] live = new boolean[count];
        for (int i = 0; i < count; i++) {
            records[i] = cursors.get(i).getRecord();
            live[i] = advance(cursors.get(i), records[i], tsColumn, heads, i);
        }
        while (true) {
            int next = earliest(heads, live);
            if (next < 0 || !onRow.test(records[next])) {
                return;
            }
            live[next] = advance(cursors.get(next), records[next], tsColumn, heads, next);
        }
    }

    private static boolean advance(RecordCursor cursor, Record record, int tsColumn, long[] heads, int index) {
        if (!cursor.hasNext()) {
            return false;
        }
        heads[index] = record.getTimestamp(tsColumn);
        return true;
    }

    /** The live cursor with the smallest current time (the first of equals), or -1 when all ended. */
    private static int earliest(long[] heads, boolean[] live) {
        int best = -1;
        for (int i = 0; i < heads.length; i++) {
            if (live[i] && (best < 0 || heads[i] < heads[best])) {
                best = i;
            }
        }
        return best;
    }
}
