package io.tsunagu.server.history.internal;

import io.questdb.cairo.VarcharTypeDriver;
import io.questdb.cairo.sql.PageFrame;
import io.questdb.cairo.sql.PageFrameCursor;
import io.questdb.cairo.sql.PartitionFormat;
import io.questdb.cairo.sql.SymbolTable;
import io.questdb.std.Numbers;
import io.questdb.std.str.Utf8Sequence;
import io.questdb.std.str.Utf8SplitString;
import io.questdb.std.str.Utf8s;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.history.HistoryPage;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A car's raw rows of a time range read straight from the table's columns in QuestDB's page frames (the memory-mapped
 * column pages of each partition's rows in the range, as the engine's own scans read them): the {@code vin} column's
 * symbol keys are compared in a plain loop, and only the car's rows are read further, into a {@link RawPageBuilder}.
 * The frames come lazily in time order, so the scan stops with the page (QuestDB's JIT filter reduced every frame of its
 * window ahead of the cursor, and twice where windows overlapped), and there is no per-row record, point or value
 * object. One frame cursor holds one table reader, so a page is one state of the table: no append n+1 without n.
 *
 * <p>Above the caller's row limit the same frames are read through the {@code series} index instead ({@link
 * SeriesIndexRead}): the comparison costs every table row of the range, the index only the car's rows.
 *
 * <p>Column pages of a native partition only: a Parquet (cold) partition has none, and the caller reads the page by
 * SQL instead. A column added after a partition was written has no page there (address 0): its values are null.
 * Thread-safe (stateless).
 */
final class FrameScan {
    /** Every column in table order, so frame column {@code i} is table column {@code i} ({@link SamplesTable}). */
    static final String SQL = "SELECT * FROM " + SamplesTable.NAME + " WHERE ts >= $1 AND ts < $2";

    private static final sun.misc.Unsafe MEMORY = io.questdb.std.Unsafe.getUnsafe();
    private static final int TS = 0;

    /** Why a scan gave no page. */
    enum Refusal {
        /** A partition of the range is not in QuestDB's native format (Parquet). */
        NOT_NATIVE
    }

    /** A page, or why the scan did not read one. */
    record Outcome(Optional<HistoryPage> page, Optional<Refusal> refusal) {
        static Outcome of(HistoryPage page) {
            return new Outcome(Optional.of(page), Optional.empty());
        }

        static Outcome refused(Refusal refusal) {
            return new Outcome(Optional.empty(), Optional.of(refusal));
        }
    }

    private FrameScan() {}

    /**
     * The page of {@code vin}'s rows in the cursor's range (from {@link #SQL}), unless a partition of the range is not
     * native. At most {@code maxScanRows} table rows in the range: the {@code vin} keys of every row are compared; more:
     * the car's series are read through the {@code series} index ({@link SeriesIndexRead}), whose cost follows the
     * car's rows, not the fleet's.
     */
    static Outcome page(
            PageFrameCursor frames,
            Vin vin,
            SeriesDirectory series,
            long maxScanRows,
            ValueColumns columns,
            int limit,
            Optional<PageCursor> after) {
        Optional<Long> rows = check(frames);
        if (rows.isEmpty()) {
            return Outcome.refused(Refusal.NOT_NATIVE);
        }
        frames.toTop();
        RawPageBuilder page = new RawPageBuilder(limit, after, columns, frames.getSymbolTable(SamplesTable.PATH));
        Utf8SplitString text = new Utf8SplitString();
        if (rows.get() > maxScanRows) {
            SeriesIndexRead.read(
                    frames, series.keysOf(vin, frames.getSymbolTable(SamplesTable.SERIES)), limit, page, text);
            return Outcome.of(page.finish());
        }
        int vinKey = frames.getSymbolTable(SamplesTable.VIN).keyOf(vin.value());
        if (vinKey != SymbolTable.VALUE_NOT_FOUND && vinKey != SymbolTable.VALUE_IS_NULL) {
            PageFrame frame;
            while ((frame = frames.next()) != null && scan(frame, vinKey, page, text)) {
                // the next frame
            }
        }
        return Outcome.of(page.finish());
    }

    /** The range's table rows (each frame knows its row span: no data read), or empty if a frame is not native. */
    private static Optional<Long> check(PageFrameCursor frames) {
        long rows = 0;
        PageFrame frame;
        while ((frame = frames.next()) != null) {
            if (frame.getFormat() != PartitionFormat.NATIVE) {
                return Optional.empty();
            }
            rows += frame.getPartitionHi() - frame.getPartitionLo();
        }
        return Optional.of(rows);
    }

    /**
     * Offers the frame's rows of the car to {@code page}; false once the page is complete. Almost every row is another
     * car's, so four keys are tested per step with two 8-byte reads and no branch until one matches (the plain
     * one-key-a-step loop cost about 0.7 ns a row).
     */
    private static boolean scan(PageFrame frame, int vinKey, RawPageBuilder page, Utf8SplitString text) {
        long vins = frame.getPageAddress(SamplesTable.VIN);
        long rows = frame.getPartitionHi() - frame.getPartitionLo();
        if (vins == 0) {
            return true; // a column top: no VIN in these rows
        }
        Pages pages = Pages.of(frame);
        long row = 0;
        for (long quads = rows & ~3L; row < quads; row += 4) {
            long first = MEMORY.getLong(vins + (row << 2));
            long second = MEMORY.getLong(vins + (row << 2) + 8);
            if (((int) first == vinKey)
                    | ((int) (first >>> 32) == vinKey)
                    | ((int) second == vinKey)
                    | ((int) (second >>> 32) == vinKey)) {
                if (!offerMatches(pages, vins, vinKey, row, row + 4, page, text)) {
                    return false;
                }
            }
        }
        return offerMatches(pages, vins, vinKey, row, rows, page, text);
    }

    /** Offers the car's rows among {@code [lo, hi)}; false once the page is complete. */
    private static boolean offerMatches(
            Pages pages, long vins, int vinKey, long lo, long hi, RawPageBuilder page, Utf8SplitString text) {
        for (long row = lo; row < hi; row++) {
            if (MEMORY.getInt(vins + (row << 2)) == vinKey && !offer(pages, row, page, text)) {
                return false;
            }
        }
        return true;
    }

    /** Offers row {@code row} of the frame {@code pages} were taken from (counted from its first row). */
    static boolean offer(Pages pages, long row, RawPageBuilder page, Utf8SplitString text) {
        byte kind = pages.kind == 0 ? 0 : MEMORY.getByte(pages.kind + row);
        return page.offer(
                Math.floorDiv(MEMORY.getLong(pages.ts + (row << 3)), 1000L),
                pages.path == 0 ? SymbolTable.VALUE_IS_NULL : MEMORY.getInt(pages.path + (row << 2)),
                pages.seq == 0 ? Numbers.LONG_NULL : MEMORY.getLong(pages.seq + (row << 3)),
                kind,
                pages.num == 0 ? Double.NaN : MEMORY.getDouble(pages.num + (row << 3)),
                kind > ValueColumns.LAST_NUMERIC ? readText(pages, row, text) : null);
    }

    /**
     * A frame's partition row span and the column page addresses its rows are read from (0 for a column top: null
     * values). A copy: the cursor reuses its frame object, while the pages stay mapped as long as the cursor is open.
     */
    record Pages(
            long partitionLo,
            long partitionHi,
            long ts,
            long path,
            long seq,
            long kind,
            long num,
            long txtAux,
            long txtAuxSize,
            long txt,
            long txtSize,
            long series) {
        static Pages of(PageFrame frame) {
            return new Pages(
                    frame.getPartitionLo(),
                    frame.getPartitionHi(),
                    frame.getPageAddress(TS),
                    frame.getPageAddress(SamplesTable.PATH),
                    frame.getPageAddress(SamplesTable.SEQ),
                    frame.getPageAddress(SamplesTable.KIND),
                    frame.getPageAddress(SamplesTable.NUM),
                    frame.getAuxPageAddress(SamplesTable.TXT),
                    frame.getAuxPageSize(SamplesTable.TXT),
                    frame.getPageAddress(SamplesTable.TXT),
                    frame.getPageSize(SamplesTable.TXT),
                    frame.getPageAddress(SamplesTable.SERIES));
        }
    }

    private static @Nullable String readText(Pages pages, long row, Utf8SplitString view) {
        if (pages.txtAux == 0) {
            return null;
        }
        Utf8Sequence value = VarcharTypeDriver.getSplitValue(
                pages.txtAux, pages.txtAux + pages.txtAuxSize, pages.txt, pages.txt + pages.txtSize, row, view);
        return value == null ? null : Utf8s.stringFromUtf8Bytes(value);
    }
}
