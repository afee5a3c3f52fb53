package io.tsunagu.server.history.internal;

import io.questdb.cairo.sql.SymbolTable;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryPoint;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link PageBuilder} for rows read straight from the table's columns ({@link FrameScan}): the same page, order (time,
 * path, seq) and cursor, but a row arrives as primitives with its {@code path} symbol key, and a {@link HistoryPoint}
 * is made only for a row the page keeps. Rows of one millisecond are ordered by a per-query rank of their path key (the
 * paths' string order), so the sort compares ints, not strings, and a group whose keys come in the same order as the
 * previous group's (a car sends its signals in the same order every second) reuses that order. Ordering each second's
 * 20 samples by string was 13 % of the raw hour and building a point per row before knowing whether the page keeps it
 * another 10 % (issue 3 profile, 2026-12-01). Not thread-safe: one per page.
 */
final class RawPageBuilder {
    private final int limit;
    private final @Nullable PageCursor after;
    private final ValueColumns columns;
    private final PathRanks ranks;

    private long groupMs;
    private int groupSize;
    private int[] groupKeys = new int[32];
    private int[] groupRanks = new int[32];
    private long[] groupSeqs = new long[32];
    private byte[] groupKinds = new byte[32];
    private double[] groupNums = new double[32];
    private @Nullable String[] groupTexts = new String[32];
    private int[] order = new int[32];
    private boolean staleRanks;

    /** The previous group's keys and whether they were distinct: its order serves a group with the same keys. */
    private int[] previousKeys = new int[32];

    private int previousSize = -1;

    private final HistoryPoint[] page;
    private int size;
    private long lastSeq;
    private boolean more;

    /** {@code pathSymbols} turns the rows' path keys into text (the table's symbol map, stable for a query). */
    RawPageBuilder(int limit, Optional<PageCursor> after, ValueColumns columns, SymbolTable pathSymbols) {
        this.limit = limit;
        this.after = after.orElse(null);
        this.columns = columns;
        this.ranks = new PathRanks(pathSymbols);
        this.page = new HistoryPoint[limit];
    }

    /**
     * Offers the next row; rows must come in non-decreasing time. {@code text} is the text column, read only for the
     * kinds that keep their value there.
     *
     * @return false once the page is complete (at least one point beyond it is known) and the caller may stop
     */
    boolean offer(long tsMs, int pathKey, long seq, byte kind, double num, @Nullable String text) {
        if (groupSize > 0 && tsMs != groupMs) {
            flush();
            if (more) {
                return false;
            }
        }
        if (groupSize == groupKeys.length) {
            grow();
        }
        groupMs = tsMs;
        groupKeys[groupSize] = pathKey;
        int known = ranks.known();
        groupRanks[groupSize] = ranks.rank(pathKey);
        staleRanks |= groupSize > 0 && ranks.known() != known; // a new path re-ranked the ones before it
        groupSeqs[groupSize] = seq;
        groupKinds[groupSize] = kind;
        groupNums[groupSize] = num;
        groupTexts[groupSize] = text;
        groupSize++;
        return true;
    }

    /** The page: at most {@code limit} points, and a cursor when at least one more point exists. */
    HistoryPage finish() {
        flush();
        Optional<String> next = Optional.empty();
        if (more) {
            HistoryPoint last = page[size - 1];
            next = Optional.of(new PageCursor(last.tsMs(), last.path(), lastSeq).encode());
        }
        return new HistoryPage(Arrays.asList(page).subList(0, size), next);
    }

    /** Moves the rows of the current millisecond, ordered by (path, seq), into the page. */
    private void flush() {
        if (groupSize == 0) {
            return;
        }
        sortGroup();
        for (int i = 0; i < groupSize && !more; i++) {
            int row = order[i];
            String path = ranks.name(groupKeys[row]);
            if (after != null && !after.isBefore(groupMs, path, groupSeqs[row])) {
                continue;
            }
            if (size == limit) {
                more = true;
            } else {
                page[size++] = new HistoryPoint(
                        path, groupMs, columns.value(groupKinds[row], groupNums[row], groupTexts[row]));
                lastSeq = groupSeqs[row];
            }
        }
        Arrays.fill(groupTexts, 0, groupSize, null);
        groupSize = 0;
    }

    /**
     * Orders the group's row numbers by (path rank, seq): the previous group's order when the keys are the same, in
     * the same order, and distinct; else an insertion sort (a group is a few dozen rows).
     */
    private void sortGroup() {
        if (staleRanks) {
            for (int row = 0; row < groupSize; row++) {
                groupRanks[row] = ranks.rank(groupKeys[row]);
            }
            staleRanks = false;
        } else if (groupSize == previousSize && Arrays.equals(groupKeys, 0, groupSize, previousKeys, 0, groupSize)) {
            return; // order[] still holds the previous group's order
        }
        boolean distinct = true;
        for (int row = 0; row < groupSize; row++) {
            int rank = groupRanks[row];
            long seq = groupSeqs[row];
            int j = row;
            while (j > 0 && follows(order[j - 1], rank, seq)) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = row;
            distinct &= (j == 0 || groupRanks[order[j - 1]] != rank) && (j == row || groupRanks[order[j + 1]] != rank);
        }
        rememberKeys(distinct);
    }

    private void rememberKeys(boolean distinct) {
        if (!distinct) {
            previousSize = -1; // equal paths order by seq, which differs from group to group
            return;
        }
        if (previousKeys.length < groupSize) {
            previousKeys = new int[groupKeys.length];
        }
        System.arraycopy(groupKeys, 0, previousKeys, 0, groupSize);
        previousSize = groupSize;
    }

    /** Whether group row {@code other} sorts after a row with {@code rank} and {@code seq}. */
    private boolean follows(int other, int rank, long seq) {
        int otherRank = groupRanks[other];
        return otherRank != rank ? otherRank > rank : groupSeqs[other] > seq;
    }

    private void grow() {
        int capacity = groupKeys.length * 2;
        groupKeys = Arrays.copyOf(groupKeys, capacity);
        groupRanks = Arrays.copyOf(groupRanks, capacity);
        groupSeqs = Arrays.copyOf(groupSeqs, capacity);
        groupKinds = Arrays.copyOf(groupKinds, capacity);
        groupNums = Arrays.copyOf(groupNums, capacity);
        groupTexts = Arrays.copyOf(groupTexts, capacity);
        order = Arrays.copyOf(order, capacity);
    }
}
