package io.tsunagu.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.questdb.cairo.sql.SymbolTable;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryPoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The column-page builder must cut exactly the pages {@link PageBuilder} cuts from the same rows (same points, order,
 * cursors), whatever order the rows of one time come in: paths out of string order, a path met for the first time in
 * the middle of a time (its rank moves the others), one path several times at one time, groups that repeat the previous
 * group's paths, text values and the null path.
 */
class RawPageBuilderTest {
    private static final List<String> PATHS = List.of(
            "Vehicle.Speed", "Vehicle.Cabin.Door", "Vehicle.A", "Vehicle.Powertrain.X", "Vehicle.B", "Vehicle.Zeta");
    private static final SymbolTable SYMBOLS = new SymbolTable() {
        @Override
        public CharSequence valueOf(int key) {
            return PATHS.get(key);
        }

        @Override
        public CharSequence valueBOf(int key) {
            return valueOf(key);
        }
    };
    private static final ValueColumns COLUMNS = new ValueColumns();

    /** One stored row as the scan reads it. */
    private record Row(long tsMs, int key, long seq, byte kind, double num, String text) {
        String path() {
            return key < 0 ? "" : PATHS.get(key);
        }
    }

    @Test
    void cutsThePagesAndCursorsOfPageBuilderFromRowsInAnyOrderWithinATime() {
        Random random = new Random(20261201);
        for (int round = 0; round < 40; round++) {
            List<Row> rows = rows(random, round % 2 == 0);
            for (int limit : new int[] {1, 3, 7, 50, 10_000}) {
                assertThat(pages(rows, limit, true))
                        .as("round %d, limit %d", round, limit)
                        .containsExactlyElementsOf(pages(rows, limit, false));
            }
        }
    }

    @Test
    void anEmptyRangeIsOneEmptyPageWithoutCursor() {
        HistoryPage page = new RawPageBuilder(10, Optional.empty(), COLUMNS, SYMBOLS).finish();

        assertThat(page.points()).isEmpty();
        assertThat(page.nextCursor()).isEmpty();
    }

    /**
     * Rows in time order; within a time the paths come shuffled, or (when {@code repeating}) in one fixed non-sorted
     * order as a car sends them, with now and then an extra sample of a path, a text value or a null path.
     */
    private static List<Row> rows(Random random, boolean repeating) {
        List<Row> rows = new ArrayList<>();
        long seq = 0;
        int[] fixed = {4, 0, 2, 5, 1, 3};
        for (long ts = 1_000; ts < 1_060; ts++) {
            List<Integer> keys = new ArrayList<>();
            int width = repeating ? fixed.length : 1 + random.nextInt(PATHS.size());
            for (int i = 0; i < width; i++) {
                keys.add(repeating ? fixed[i] : random.nextInt(PATHS.size()));
            }
            if (!repeating) {
                Collections.shuffle(keys, random);
            }
            if (repeating && ts / 2 % 3 == 0) { // two times in a row with the same paths, one of them twice
                keys.add(fixed[0]);
            } else if (random.nextInt(8) == 0) {
                keys.add(random.nextInt(10) == 0 ? SymbolTable.VALUE_IS_NULL : keys.get(0)); // same path again
            }
            for (int key : keys) {
                boolean text = random.nextInt(6) == 0;
                rows.add(new Row(
                        ts,
                        key,
                        random.nextInt(1_000_000) + seq++,
                        text ? ValueColumns.TEXT : ValueColumns.NUM,
                        text ? Double.NaN : random.nextInt(400) / 4.0,
                        text ? "t" + random.nextInt(9) : null));
            }
        }
        return rows;
    }

    /** Every page of {@code rows}, each next page offered the rows from its cursor's time on, as a scan reads them. */
    private static List<HistoryPage> pages(List<Row> rows, int limit, boolean raw) {
        List<HistoryPage> pages = new ArrayList<>();
        Optional<PageCursor> after = Optional.empty();
        do {
            HistoryPage page = page(rows, limit, after, raw);
            pages.add(page);
            after = page.nextCursor().map(PageCursor::decode);
        } while (after.isPresent());
        return pages;
    }

    private static HistoryPage page(List<Row> rows, int limit, Optional<PageCursor> after, boolean raw) {
        long fromMs = after.map(PageCursor::tsMs).orElse(Long.MIN_VALUE);
        RawPageBuilder columnPage = new RawPageBuilder(limit, after, COLUMNS, SYMBOLS);
        PageBuilder pointPage = new PageBuilder(limit, after);
        for (Row row : rows) {
            if (row.tsMs() < fromMs) {
                continue;
            }
            boolean more = raw
                    ? columnPage.offer(row.tsMs(), row.key(), row.seq(), row.kind(), row.num(), row.text())
                    : pointPage.offer(new HistoryPoint(row.path(), row.tsMs(), value(row)), row.seq());
            if (!more) {
                break;
            }
        }
        return raw ? columnPage.finish() : pointPage.finish();
    }

    private static SignalValue value(Row row) {
        return COLUMNS.value(row.kind(), row.num(), row.text());
    }
}
