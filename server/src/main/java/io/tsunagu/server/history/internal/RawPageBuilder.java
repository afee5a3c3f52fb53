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
 * is made only for the rows the page keeps. Rows of one millisecond are ordered by a per-query rank of their path key
 * (the paths' string order), so the sort compares ints, not strings: ordering each second's 20 samples by string was 13
 * % of the raw hour (issue 3 profile, 2026-12-01 fourth session), and building a point and a value object per row
 * before knowing whether the page keeps it another 10 %. Not thread-safe: one per page.
 */
final class RawPageBuilder {
    private final int limit;
    private final @Nullable PageCursor after;
    private final ValueColumns columns;
    private final PathRanks ranks;

    private long groupMs;
    private int groupSize;
    private int[] groupKeys = new int[32];
    private long[] groupSeqs = new long[32];
    private byte[] groupKinds = new byte[32];
    private double[] groupNums = new double[32];
    private @Nullable String[] groupTexts = new String[32];
    private int[] order = new int[32];

    private int size;
    private final long[] pageMs;
    private final int[] pageKeys;
    private final long[] pageSeqs;
    private final byte[] pageKinds;
    private final double[] pageNums;
    private final @Nullable String[] pageTexts;
    private boolean more;

    /** {@code pathSymbols} turns the rows' path keys into text (the table's symbol map, stable for a query). */
    RawPageBuilder(int limit, Optional<PageCursor> after, ValueColumns columns, SymbolTable pathSymbols) {
        this.limit = limit;
        this.after = after.orElse(null);
        this.columns = columns;
        this.ranks = new PathRanks(pathSymbols);
        this.pageMs = new long[limit];
        this.pageKeys = new int[limit];
        this.pageSeqs = new long[limit];
        this.pageKinds = new byte[limit];
        this.pageNums = new double[limit];
        this.pageTexts = new String[limit];
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
        HistoryPoint[] points = new HistoryPoint[size];
        for (int i = 0; i < size; i++) {
            points[i] = new HistoryPoint(
                    ranks.name(pageKeys[i]), pageMs[i], columns.value(pageKinds[i], pageNums[i], pageTexts[i]));
        }
        Optional<String> next = Optional.empty();
        if (more) {
            int last = size - 1;
            next = Optional.of(new PageCursor(pageMs[last], ranks.name(pageKeys[last]), pageSeqs[last]).encode());
        }
        return new HistoryPage(Arrays.asList(points), next);
    }

    /** Moves the rows of the current millisecond, ordered by (path, seq), into the page. */
    private void flush() {
        sortGroup();
        for (int i = 0; i < groupSize && !more; i++) {
            int row = order[i];
            if (after != null && !after.isBefore(groupMs, ranks.name(groupKeys[row]), groupSeqs[row])) {
                continue;
            }
            if (size == limit) {
                more = true;
            } else {
                pageMs[size] = groupMs;
                pageKeys[size] = groupKeys[row];
                pageSeqs[size] = groupSeqs[row];
                pageKinds[size] = groupKinds[row];
                pageNums[size] = groupNums[row];
                pageTexts[size] = groupTexts[row];
                size++;
            }
        }
        Arrays.fill(groupTexts, 0, groupSize, null);
        groupSize = 0;
    }

    /** Insertion sort of the group's row numbers by (path rank, seq): a group is a few dozen rows, often in order. */
    private void sortGroup() {
        for (int i = 0; i < groupSize; i++) {
            int row = i;
            int rank = ranks.rank(groupKeys[row]);
            int j = i;
            while (j > 0 && follows(order[j - 1], rank, groupSeqs[row])) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = row;
        }
    }

    /** Whether group row {@code other} sorts after a row with {@code rank} and {@code seq}. */
    private boolean follows(int other, int rank, long seq) {
        int otherRank = ranks.rank(groupKeys[other]);
        return otherRank != rank ? otherRank > rank : groupSeqs[other] > seq;
    }

    private void grow() {
        int capacity = groupKeys.length * 2;
        groupKeys = Arrays.copyOf(groupKeys, capacity);
        groupSeqs = Arrays.copyOf(groupSeqs, capacity);
        groupKinds = Arrays.copyOf(groupKinds, capacity);
        groupNums = Arrays.copyOf(groupNums, capacity);
        groupTexts = Arrays.copyOf(groupTexts, capacity);
        order = Arrays.copyOf(order, capacity);
    }
}
