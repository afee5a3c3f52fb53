package io.tsunagu.server.history.internal;

import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.protocol.vss.SignalSpec;
import io.tsunagu.protocol.vss.VssDatatype;
import io.tsunagu.server.history.Aggregate;
import io.tsunagu.server.history.HistoryPoint;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.history.InvalidQueryException;
import io.tsunagu.server.history.internal.ArchivePages.Part;
import io.tsunagu.server.history.internal.ArchivePages.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One archived segment's share of a page: the day files' rows merged with the native table's rows of the same range
 * (late data, or a whole day after a crash between export and drop), de-duplicated on (series, ts, seq) with the native
 * row winning, as the table's {@code DEDUP UPSERT} would. Raw rows come from DuckDB in answer order with a limit;
 * downsampled buckets are folded here over the segment's rows of the asked series. Thread-safe.
 */
public final class ArchiveSegments {
    private final ParquetArchive archive;
    private final StoredRows hot;
    private final ValueColumns columns;
    private final SignalCatalog catalog;

    public ArchiveSegments(ParquetArchive archive, StoredRows hot, ValueColumns columns, SignalCatalog catalog) {
        this.archive = archive;
        this.hot = hot;
        this.columns = columns;
        this.catalog = catalog;
    }

    Part part(HistoryQuery query, Segment segment, Optional<PageCursor> after, int limit) {
        return query.downsampled() ? downsampled(query, segment, after, limit) : raw(query, segment, after, limit);
    }

    private Part raw(HistoryQuery query, Segment segment, Optional<PageCursor> after, int limit) {
        String prefix = query.vin().value() + SamplesTable.SEPARATOR;
        List<StoredRow> late = hotRows(query, segment, after);
        Set<Key> lateKeys = keys(late);
        List<StoredRow> rows = new ArrayList<>(late);
        int want = limit + 1;
        StoredRow[] lastCold = {null};
        int[] read = {0};
        archive.forEach(
                segment.archivedDays(), where(query, segment, after, prefix), "ts_ms, series, seq", want, row -> {
                    read[0]++;
                    lastCold[0] = row;
                    if (!lateKeys.contains(Key.of(row))) {
                        rows.add(row);
                    }
                    return true;
                });
        rows.sort(StoredRow::compareByTime);
        if (read[0] == want) { // beyond the last file row read, later file rows are missing: stop there
            rows.removeIf(row -> row.compareByTime(lastCold[0]) > 0);
        }
        return page(rows.stream().map(row -> new Keyed(point(row), row.seq())).toList(), limit);
    }

    /** The native rows of the query's car and series in the segment, after the cursor. */
    private List<StoredRow> hotRows(HistoryQuery query, Segment segment, Optional<PageCursor> after) {
        Set<String> paths = Set.copyOf(query.paths());
        List<StoredRow> rows = new ArrayList<>();
        hot.forEachOfCar(query.vin(), segment.fromMs(), segment.toMs(), row -> {
            if ((paths.isEmpty() || paths.contains(row.path())) && isAfter(after, row)) {
                rows.add(row);
            }
            return true;
        });
        return rows;
    }

    private static boolean isAfter(Optional<PageCursor> after, StoredRow row) {
        return after.isEmpty() || after.get().isBefore(row.tsMs(), row.path(), row.seq());
    }

    private static String where(HistoryQuery query, Segment segment, Optional<PageCursor> after, String prefix) {
        String where = ArchivePages.seriesFilter(query.vin(), query.paths()) + " AND ts_ms >= " + segment.fromMs()
                + " AND ts_ms < " + segment.toMs();
        if (after.isPresent()) {
            PageCursor c = after.get();
            String series = ParquetArchive.literal(prefix + c.path());
            where += " AND (ts_ms > " + c.tsMs() + " OR (ts_ms = " + c.tsMs() + " AND (series > " + series
                    + " OR (series = " + series + " AND seq > " + c.seq() + "))))";
        }
        return where;
    }

    private Part downsampled(HistoryQuery query, Segment segment, Optional<PageCursor> after, int limit) {
        long step = query.stepMs().orElseThrow();
        boolean numeric = query.aggregate().numericOnly();
        List<StoredRow> late = hotRows(query, segment, Optional.empty());
        Set<Key> lateKeys = keys(late);
        Map<Bucket, Fold> folds = new HashMap<>();
        Set<String> nonNumeric = new TreeSet<>();
        java.util.function.Predicate<StoredRow> fold = row -> {
            if (row.kind() > ValueColumns.LAST_NUMERIC) {
                nonNumeric.add(row.path());
                if (numeric) {
                    return true;
                }
            }
            folds.computeIfAbsent(new Bucket(row.path(), Math.floorDiv(row.tsMs(), step) * step), b -> new Fold())
                    .add(row);
            return true;
        };
        late.forEach(fold::test);
        archive.forEach(
                segment.archivedDays(),
                where(query, segment, Optional.empty(), ""),
                "",
                0,
                row -> lateKeys.contains(Key.of(row)) || fold.test(row));
        if (numeric) {
            rejectNonNumeric(query, nonNumeric);
        }
        List<Keyed> points = new ArrayList<>();
        folds.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(
                        Comparator.comparingLong(Bucket::tsMs).thenComparing(Bucket::path)))
                .forEach(e -> {
                    Bucket b = e.getKey();
                    if (after.isEmpty() || after.get().isBefore(b.tsMs(), b.path(), 0)) {
                        points.add(new Keyed(
                                new HistoryPoint(
                                        b.path(), b.tsMs(), e.getValue().value(query.aggregate(), columns)),
                                0));
                    }
                });
        return page(points, limit);
    }

    /** As the native store: named text or list signals cannot take a numeric aggregate (the catalog decides first). */
    private void rejectNonNumeric(HistoryQuery query, Set<String> storedNonNumeric) {
        Set<String> offending = new TreeSet<>();
        for (String path : query.paths()) {
            Optional<VssDatatype> type = catalog.find(path).map(SignalSpec::datatype);
            boolean number = type.map(t -> !t.isArray() && (t.isNumeric() || t == VssDatatype.BOOLEAN))
                    .orElse(!storedNonNumeric.contains(path));
            if (!number) {
                offending.add(path);
            }
        }
        if (!offending.isEmpty()) {
            throw new InvalidQueryException("aggregate " + query.aggregate() + " needs numeric signals, but "
                    + String.join(", ", offending) + " hold text or list values; use LAST or leave them out");
        }
    }

    private static Part page(List<Keyed> points, int limit) {
        if (points.size() <= limit) {
            Optional<PageCursor> last = points.isEmpty()
                    ? Optional.empty()
                    : Optional.of(points.getLast().cursor());
            return new Part(points.stream().map(Keyed::point).toList(), Optional.empty(), last);
        }
        List<Keyed> page = points.subList(0, limit);
        PageCursor last = page.getLast().cursor();
        return new Part(page.stream().map(Keyed::point).toList(), Optional.of(last.encode()), Optional.of(last));
    }

    private HistoryPoint point(StoredRow row) {
        return new HistoryPoint(row.path(), row.tsMs(), value(row, columns));
    }

    static SignalValue value(StoredRow row, ValueColumns columns) {
        return columns.value(row.kind(), row.num(), row.txt());
    }

    private static Set<Key> keys(List<StoredRow> rows) {
        Set<Key> keys = new HashSet<>();
        rows.forEach(row -> keys.add(Key.of(row)));
        return keys;
    }

    /** A sample's identity in the table's de-duplication: (series, ts, seq). */
    private record Key(String series, long tsMs, long seq) {
        static Key of(StoredRow row) {
            return new Key(row.series(), row.tsMs(), row.seq());
        }
    }

    private record Keyed(HistoryPoint point, long seq) {
        PageCursor cursor() {
            return new PageCursor(point.tsMs(), point.path(), seq);
        }
    }

    private record Bucket(String path, long tsMs) {}

    /** One bucket of one signal: numeric folds and the newest row by (ts, seq). */
    private static final class Fold {
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;
        private long count;
        private @Nullable StoredRow last;

        void add(StoredRow row) {
            if (row.kind() <= ValueColumns.LAST_NUMERIC) {
                min = Math.min(min, row.num());
                max = Math.max(max, row.num());
                sum += row.num();
                count++;
            }
            if (last == null || row.tsMs() > last.tsMs() || (row.tsMs() == last.tsMs() && row.seq() > last.seq())) {
                last = row;
            }
        }

        SignalValue value(Aggregate aggregate, ValueColumns columns) {
            return switch (aggregate) {
                case MIN -> new SignalValue.Num(min);
                case MAX -> new SignalValue.Num(max);
                case AVG -> new SignalValue.Num(sum / count);
                case LAST -> ArchiveSegments.value(java.util.Objects.requireNonNull(last), columns);
            };
        }
    }
}
