package io.tsunagu.server.history.internal;

import io.questdb.cairo.VarcharTypeDriver;
import io.questdb.cairo.sql.PageFrame;
import io.questdb.cairo.sql.PageFrameCursor;
import io.questdb.cairo.sql.PartitionFormat;
import io.questdb.cairo.sql.StaticSymbolTable;
import io.questdb.cairo.sql.SymbolTable;
import io.questdb.std.Numbers;
import io.questdb.std.str.Utf8Sequence;
import io.questdb.std.str.Utf8SplitString;
import io.questdb.std.str.Utf8s;
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
        /** The table holds more rows in the range than the caller's limit. */
        TOO_MANY_ROWS,
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
     * The page of {@code vin}'s rows in the cursor's range (from {@link #SQL}), unless the range holds more than
     * {@code maxRows} table rows or a partition that is not native.
     */
    static Outcome page(
            PageFrameCursor frames,
            String vin,
            long maxRows,
            ValueColumns columns,
            int limit,
            Optional<PageCursor> after) {
        Optional<Refusal> refusal = check(frames, maxRows);
        if (refusal.isPresent()) {
            return Outcome.refused(refusal.get());
        }
        frames.toTop();
        StaticSymbolTable vins = frames.getSymbolTable(SamplesTable.VIN);
        RawPageBuilder page = new RawPageBuilder(limit, after, columns, frames.getSymbolTable(SamplesTable.PATH));
        int vinKey = vins.keyOf(vin);
        if (vinKey != SymbolTable.VALUE_NOT_FOUND && vinKey != SymbolTable.VALUE_IS_NULL) {
            Utf8SplitString text = new Utf8SplitString();
            PageFrame frame;
            while ((frame = frames.next()) != null && scan(frame, vinKey, page, text)) {
                // the next frame
            }
        }
        return Outcome.of(page.finish());
    }

    /** Counts the range's rows (each frame knows its row span: no data read) and checks every frame's format. */
    private static Optional<Refusal> check(PageFrameCursor frames, long maxRows) {
        long rows = 0;
        PageFrame frame;
        while ((frame = frames.next()) != null) {
            if (frame.getFormat() != PartitionFormat.NATIVE) {
                return Optional.of(Refusal.NOT_NATIVE);
            }
            rows += frame.getPartitionHi() - frame.getPartitionLo();
            if (rows > maxRows) {
                return Optional.of(Refusal.TOO_MANY_ROWS);
            }
        }
        return Optional.empty();
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
                if (!offerMatches(frame, pages, vins, vinKey, row, row + 4, page, text)) {
                    return false;
                }
            }
        }
        return offerMatches(frame, pages, vins, vinKey, row, rows, page, text);
    }

    /** Offers the car's rows among {@code [lo, hi)}; false once the page is complete. */
    private static boolean offerMatches(
            PageFrame frame,
            Pages pages,
            long vins,
            int vinKey,
            long lo,
            long hi,
            RawPageBuilder page,
            Utf8SplitString text) {
        for (long row = lo; row < hi; row++) {
            if (MEMORY.getInt(vins + (row << 2)) == vinKey && !offer(frame, pages, row, page, text)) {
                return false;
            }
        }
        return true;
    }

    private static boolean offer(PageFrame frame, Pages pages, long row, RawPageBuilder page, Utf8SplitString text) {
        byte kind = pages.kind == 0 ? 0 : MEMORY.getByte(pages.kind + row);
        return page.offer(
                Math.floorDiv(MEMORY.getLong(pages.ts + (row << 3)), 1000L),
                pages.path == 0 ? SymbolTable.VALUE_IS_NULL : MEMORY.getInt(pages.path + (row << 2)),
                pages.seq == 0 ? Numbers.LONG_NULL : MEMORY.getLong(pages.seq + (row << 3)),
                kind,
                pages.num == 0 ? Double.NaN : MEMORY.getDouble(pages.num + (row << 3)),
                kind > ValueColumns.LAST_NUMERIC ? readText(frame, row, text) : null);
    }

    /** The frame's column page addresses a row is read from; 0 for a column top (null values). */
    private record Pages(long ts, long path, long seq, long kind, long num) {
        static Pages of(PageFrame frame) {
            return new Pages(
                    frame.getPageAddress(TS),
                    frame.getPageAddress(SamplesTable.PATH),
                    frame.getPageAddress(SamplesTable.SEQ),
                    frame.getPageAddress(SamplesTable.KIND),
                    frame.getPageAddress(SamplesTable.NUM));
        }
    }

    private static @Nullable String readText(PageFrame frame, long row, Utf8SplitString view) {
        long aux = frame.getAuxPageAddress(SamplesTable.TXT);
        if (aux == 0) {
            return null;
        }
        long data = frame.getPageAddress(SamplesTable.TXT);
        Utf8Sequence value = VarcharTypeDriver.getSplitValue(
                aux,
                aux + frame.getAuxPageSize(SamplesTable.TXT),
                data,
                data + frame.getPageSize(SamplesTable.TXT),
                row,
                view);
        return value == null ? null : Utf8s.stringFromUtf8Bytes(value);
    }
}
