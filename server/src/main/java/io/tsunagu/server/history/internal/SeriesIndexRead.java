package io.tsunagu.server.history.internal;

import io.questdb.cairo.BitmapIndexReader;
import io.questdb.cairo.TableUtils;
import io.questdb.cairo.sql.PageFrame;
import io.questdb.cairo.sql.PageFrameCursor;
import io.questdb.cairo.sql.RowCursor;
import io.questdb.std.str.Utf8SplitString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A car's raw rows of a time range read through the {@code series} index of the range's page frames: for each
 * partition, the row ids of each of the car's series inside the range's row span, put in ascending order (table order,
 * which is time order within a partition), each row then read from the frame's column pages into a {@link
 * RawPageBuilder}. The work follows the car's rows in the range, not the table's: a full fleet's hour holds 720 M
 * table rows, a car's 72,000, and the scan by time ({@link FrameScan}) compares a key on every table row.
 *
 * <p><b>Backward, unbounded cursors.</b> QuestDB keeps a series' row ids in a linked list of value blocks (32 ids each
 * here), so a cursor reaches its first id by walking blocks one by one: the forward cursor from the partition's first
 * block (the day's ~2,600 blocks per series before a late hour, on every page: the merged SQL cursors' cost), the
 * backward one from its last. A history read is nearly always recent (a car's last hour ends at the partition's end),
 * so each series is read backward from its newest id down to the page's first row. The cursor is asked for every id
 * and the range applied here: QuestDB 9.3.4's backward cursor with a lower bound above 0 returned ids below it, and
 * other series' rows, in this project's tests. A range far from its partition's end reads the ids after it too
 * (sequential reads, at most a day's per series).
 *
 * <p>The index values and the frames come from the same table reader (the frame cursor's), bounded by the frames' row
 * spans, so rows appended meanwhile are not seen: one state of the table. Not thread-safe: one per page.
 */
final class SeriesIndexRead {
    /** Rows beyond a page's limit each series reads ahead ({@link #split}); more are read only when needed. */
    private static final int PAGE_SLACK = 64;

    private final RawPageBuilder page;
    private final Utf8SplitString text;
    private final int[] indexKeys;
    /** The ids read from the index, grown as needed. */
    private long[] ids = new long[4_096];

    private long[] rest = new long[0];

    /** Ids of one series that surely cover a page: its points, one beyond, and some skipped or grouped at its ends. */
    private final int wanted;

    private SeriesIndexRead(int[] seriesKeys, int limit, RawPageBuilder page, Utf8SplitString text) {
        this.wanted = limit + PAGE_SLACK;
        this.page = page;
        this.text = text;
        this.indexKeys = new int[seriesKeys.length];
        for (int s = 0; s < seriesKeys.length; s++) {
            indexKeys[s] = TableUtils.toIndexKey(seriesKeys[s]);
        }
    }

    /**
     * Offers the rows of {@code seriesKeys} (symbol keys of the {@code series} column) in the frames' row spans to
     * {@code page}, in table order, until the page is complete. The cursor must be at its top.
     */
    static void read(PageFrameCursor frames, int[] seriesKeys, int limit, RawPageBuilder page, Utf8SplitString text) {
        if (seriesKeys.length == 0) {
            return;
        }
        new SeriesIndexRead(seriesKeys, limit, page, text).run(frames);
    }

    private void run(PageFrameCursor frames) {
        List<FrameScan.Pages> partition = new ArrayList<>();
        BitmapIndexReader index = null;
        int partitionIndex = -1;
        PageFrame frame;
        while ((frame = frames.next()) != null) {
            if (frame.getPartitionIndex() != partitionIndex) {
                if (index != null && !readPartition(index, partition)) {
                    return;
                }
                partition.clear();
                partitionIndex = frame.getPartitionIndex();
                index = frame.getBitmapIndexReader(SamplesTable.SERIES, BitmapIndexReader.DIR_BACKWARD);
            }
            partition.add(FrameScan.Pages.of(frame));
        }
        if (index != null) {
            readPartition(index, partition);
        }
    }

    /** Reads one partition's rows of the series in its frames' span; false once the page is complete. */
    private boolean readPartition(BitmapIndexReader index, List<FrameScan.Pages> frames) {
        long lo = frames.get(0).partitionLo();
        long hi = frames.get(frames.size() - 1).partitionHi();
        if (hi <= lo) {
            return true;
        }
        int size = 0;
        long cut = Long.MAX_VALUE;
        for (int s = 0; s < indexKeys.length; s++) {
            int start = size;
            RowCursor rows = index.getCursor(true, indexKeys[s], 0, Long.MAX_VALUE);
            while (rows.hasNext()) {
                long id = rows.next();
                if (id < lo) {
                    break; // below the range: QuestDB 9.3.4's backward cursor can return ids under its lower bound
                }
                if (id >= hi) {
                    continue;
                }
                if (size == ids.length) {
                    ids = Arrays.copyOf(ids, size * 2);
                }
                ids[size++] = id;
            }
            if (size - start >= wanted) {
                cut = Math.min(cut, ids[size - wanted]); // this series alone has `wanted` ids up to there
            }
        }
        int first = split(size, cut);
        return offerInOrder(ids, first, frames) && offerInOrder(rest, size - first, frames);
    }

    /**
     * Moves the ids up to {@code cut} to the front of {@code ids} and the others to {@code rest}; returns how many are
     * in front. Those are enough for the page unless it skips or groups many rows at its ends; all of the others come
     * after them, so they are sorted and offered only if the page still wants rows (sorting every remaining id of the
     * range on every page was a quarter of the query).
     */
    private int split(int size, long cut) {
        if (rest.length < size) {
            rest = new long[ids.length];
        }
        int front = 0;
        int back = 0;
        for (int i = 0; i < size; i++) {
            long id = ids[i];
            if (id <= cut) {
                ids[front++] = id;
            } else {
                rest[back++] = id;
            }
        }
        return front;
    }

    /**
     * Sorts {@code ids[0, size)} and offers them in that order, each row read from its frame; false once the page is
     * complete. The ids are the series' descending runs one after the other, which the JDK's sort detects and merges
     * (a few sequential passes for 20 runs; a binary heap over the runs cost about 70 ns a row).
     */
    private boolean offerInOrder(long[] ids, int size, List<FrameScan.Pages> frames) {
        Arrays.sort(ids, 0, size);
        int frameAt = 0;
        FrameScan.Pages pages = frames.get(0);
        for (int i = 0; i < size; i++) {
            long id = ids[i];
            while (id >= pages.partitionHi()) {
                pages = frames.get(++frameAt);
            }
            if (!FrameScan.offer(pages, id - pages.partitionLo(), page, text)) {
                return false;
            }
        }
        return true;
    }
}
