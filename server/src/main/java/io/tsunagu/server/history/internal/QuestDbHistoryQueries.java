package io.tsunagu.server.history.internal;

import io.questdb.cairo.sql.Record;
import io.questdb.std.str.Utf8s;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.protocol.vss.SignalSpec;
import io.tsunagu.protocol.vss.VssDatatype;
import io.tsunagu.server.history.Aggregate;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryPoint;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.history.InvalidQueryException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Answers {@link HistoryQuery} pages and latest-value lookups with QuestDB SQL on the samples table. Raw pages stream rows in time order;
 * downsampled pages use {@code SAMPLE BY <step>T ALIGN TO CALENDAR}, whose buckets for a millisecond step start at
 * multiples of the step since the epoch (so hourly buckets start on the hour, daily ones at midnight UTC). A cursor
 * narrows the time range to its own time, and {@link PageBuilder} skips the few points at that time already returned.
 * Thread-safe.
 */
public final class QuestDbHistoryQueries {
    /** Signals whose fleet-wide latest statements are kept (each holds a literal per car). */
    private static final int MAX_FLEET_LATEST_PLANS = 16;

    /**
     * The most rows of the whole table in a range for which a car's raw page scans the range by time (the {@code vin}
     * key of every row, {@link FrameScan}); above it the car's series are read through the series index of the same
     * page frames ({@link SeriesIndexRead}), whose cost follows the car's rows. Measured on this machine kind
     * (docs/architecture.md, "A car's raw hour at full density"). A range with a Parquet day uses the same limit
     * between the SQL windows and the merged series cursors.
     */
    public static final long SCAN_MAX_ROWS = 16_000_000L;

    /**
     * System property overriding {@link #SCAN_MAX_ROWS} in the store (a measured constant of this machine kind; the
     * benchmark sets it to time each plan on the same data): 0 reads a car's range through the series index whenever
     * its partitions are native, a huge value always scans.
     */
    public static final String SCAN_MAX_ROWS_PROPERTY = "tsunagu.history.scanMaxRows";

    /** A scanned range is read in windows, the first this fraction of the range, each next one twice as long. */
    private static final long SCAN_FIRST_WINDOWS = 16;

    /** Reads of a several-statement plan before a page falls back to one statement (see {@link #oneState}). */
    private static final int STATE_ATTEMPTS = 3;

    private final String table;
    private final long scanMaxRows;
    private final QuestDbReader reader;
    private final ValueColumns columns;
    private final SignalCatalog catalog;
    private final SeriesDirectory series;
    private final LongSupplier visibilityVersion;
    private final Map<String, LatestPlan> fleetLatestPlans = new ConcurrentHashMap<>();

    /**
     * {@code catalog} tells which signals are numeric, for refusing numeric aggregates over text signals; {@code
     * series} which signals each car has; a car's raw range is scanned by time when the table holds at most {@code
     * scanMaxRows} rows in it ({@link #SCAN_MAX_ROWS} in the store). {@code visibilityVersion} is {@link
     * WalApplier#visibilityVersion()} (a constant for a table nobody applies meanwhile), so a raw page read with
     * several statements (windows, merged cursors) is one state of the table, never a later append without an
     * earlier one.
     */
    public QuestDbHistoryQueries(
            String table,
            QuestDbReader reader,
            ValueColumns columns,
            SignalCatalog catalog,
            SeriesDirectory series,
            long scanMaxRows,
            LongSupplier visibilityVersion) {
        this.visibilityVersion = visibilityVersion;
        this.scanMaxRows = scanMaxRows;
        this.table = table;
        this.reader = reader;
        this.columns = columns;
        this.catalog = catalog;
        this.series = series;
    }

    /** One page of {@code query}. */
    public HistoryPage page(HistoryQuery query) {
        Optional<PageCursor> after = query.cursor().map(PageCursor::decode);
        long fromMs = Math.max(query.fromMs(), after.map(PageCursor::tsMs).orElse(query.fromMs()));
        boolean allRaw = query.stepMs().isEmpty() && query.paths().isEmpty();
        Optional<FrameScan.Refusal> refusal = Optional.empty();
        if (allRaw) {
            FrameScan.Outcome scanned = framePage(query, fromMs, after);
            if (scanned.page().isPresent()) {
                return scanned.page().get();
            }
            refusal = scanned.refusal();
        }
        PageBuilder page = new PageBuilder(query.limit(), after);
        List<String> askedPaths = query.paths().isEmpty() ? series.pathsOf(query.vin()) : query.paths();
        if (askedPaths.isEmpty()) {
            return page.finish(); // a car without history
        }
        List<Object> binds = binds(query.vin(), askedPaths, fromMs, query.toMs());
        String where = where(askedPaths.size());
        SymbolStrings paths = new SymbolStrings(1);
        Consumer<PageBuilder> oneStatement =
                p -> reader.forEach(rawSql(where), binds, row -> p.offer(rawPoint(row, paths), row.getLong(2)));
        if (refusal.equals(Optional.of(FrameScan.Refusal.NOT_NATIVE)) && scansByTime(fromMs, query.toMs())) {
            return oneState(query.limit(), after, p -> scanByTime(query, fromMs, p, paths), oneStatement);
        } else if (query.stepMs().isEmpty() && mergesSeries(askedPaths.size())) {
            Consumer<PageBuilder> merged = p -> reader.forEachMerged(
                    rawSql(where(1)), perSeries(binds), 0, row -> p.offer(rawPoint(row, paths), row.getLong(2)));
            return oneState(query.limit(), after, merged, oneStatement);
        } else if (query.stepMs().isEmpty()) {
            reader.forEach(rawSql(where), binds, row -> page.offer(rawPoint(row, paths), row.getLong(2)));
        } else if (query.aggregate() == Aggregate.LAST) {
            reader.forEach(downsampledSql(query, where, "last(kind) k, last(num) n, last(txt) t", ""), binds, row -> {
                return page.offer(new HistoryPoint(paths.byText(row), millis(row), lastValue(row)), 0);
            });
        } else {
            rejectNonNumericPaths(query, fromMs);
            String aggregate = query.aggregate().name().toLowerCase(Locale.ROOT) + "(num) v";
            reader.forEach(
                    downsampledSql(query, where, aggregate, " AND kind <= " + ValueColumns.LAST_NUMERIC),
                    binds,
                    row -> page.offer(
                            new HistoryPoint(paths.byText(row), millis(row), new SignalValue.Num(row.getDouble(2))),
                            0));
        }
        return page.finish();
    }

    /**
     * A car's every signal read straight from the table's column pages ({@link FrameScan}) when the table holds at most
     * {@code scanMaxRows} rows in {@code [fromMs, toMs)} and all of them are in native partitions; else why not. One
     * frame cursor, one table state: no visibility check needed.
     */
    private FrameScan.Outcome framePage(HistoryQuery query, long fromMs, Optional<PageCursor> after) {
        return reader.withPageFrames(
                FrameScan.SQL,
                List.of(QuestDbReader.Micros.ofMillis(fromMs), QuestDbReader.Micros.ofMillis(query.toMs())),
                frames -> FrameScan.page(frames, query.vin(), series, scanMaxRows, columns, query.limit(), after));
    }

    /** The newest sample per path of one car, ordered by path. */
    public List<Sample> latest(Vin vin) {
        Map<String, Sample> latest = new TreeMap<>();
        SymbolStrings paths = new SymbolStrings(1);
        List<String> keys = series.pathsOf(vin).stream()
                .map(path -> SamplesTable.series(vin, path))
                .toList();
        LatestPlan.of("SELECT ts, path, seq, kind, num, txt FROM " + table, keys)
                .run(reader, row -> {
                    String path = paths.byKey(row);
                    latest.put(path, sample(vin, path, row));
                });
        return List.copyOf(latest.values());
    }

    /** {@link #latest(Vin)} for every car, ordered by VIN. */
    public Map<Vin, List<Sample>> latestAll() {
        Map<Vin, List<Sample>> byCar = new TreeMap<>();
        SymbolStrings paths = new SymbolStrings(1);
        SymbolStrings vins = new SymbolStrings(6);
        reader.forEach(
                "SELECT ts, path, seq, kind, num, txt, vin FROM " + table + " LATEST ON ts PARTITION BY series",
                List.of(),
                row -> {
                    Vin vin = Vin.of(vins.byText(row));
                    return byCar.computeIfAbsent(vin, v -> new ArrayList<>()).add(sample(vin, paths.byText(row), row));
                });
        byCar.replaceAll((vin, samples) ->
                samples.stream().sorted(Comparator.comparing(Sample::path)).toList());
        return byCar;
    }

    /**
     * The newest sample of {@code path} of every car that reported it, ordered by VIN: one index lookup per car's
     * series ({@code series IN (...) LATEST ON ts PARTITION BY series}), not every signal of every car.
     */
    public List<Sample> latestOfEveryCar(String path) {
        List<Vin> carsWithPath = series.carsWith(path);
        Map<String, Vin> cars = new HashMap<>();
        for (Vin vin : carsWithPath) {
            cars.put(vin.value(), vin);
        }
        LatestPlan plan = fleetLatestPlans.get(path);
        if (plan == null || plan.keyCount() != carsWithPath.size()) { // the list only grows: same size, same cars
            List<String> keys = carsWithPath.stream()
                    .map(vin -> SamplesTable.series(vin, path))
                    .toList();
            plan = LatestPlan.of("SELECT ts, vin, seq, kind, num, txt FROM " + table, keys);
            if (fleetLatestPlans.size() >= MAX_FLEET_LATEST_PLANS) {
                fleetLatestPlans.clear();
            }
            fleetLatestPlans.put(path, plan);
        }
        List<Sample> latest = new ArrayList<>(carsWithPath.size());
        SymbolStrings vins = new SymbolStrings(1);
        plan.run(reader, row -> {
            Vin vin = cars.get(vins.byKey(row));
            latest.add(sample(vin, path, row));
        });
        latest.sort(Comparator.comparing(sample -> sample.vin().value()));
        return List.copyOf(latest);
    }

    private Sample sample(Vin vin, String path, Record row) {
        return new Sample(vin, millis(row), row.getLong(2), path, value(row, 3));
    }

    private String rawSql(String where) {
        return "SELECT ts, path, seq, kind, num, txt FROM " + table + where + " ORDER BY ts";
    }

    private String downsampledSql(HistoryQuery query, String where, String aggregates, String extraFilter) {
        return "SELECT ts, path, " + aggregates + " FROM " + table + where + extraFilter + " SAMPLE BY "
                + query.stepMs().orElseThrow() + "T ALIGN TO CALENDAR ORDER BY ts";
    }

    /**
     * Numeric aggregates over explicitly named text or list signals are a caller error, not an empty answer. The
     * catalog decides for the signals it knows (no read: a scan of the car's range for text rows was 43 % of a
     * downsampled day in the issue 3 profile); only paths it does not know are looked up in the stored rows.
     */
    private void rejectNonNumericPaths(HistoryQuery query, long fromMs) {
        List<String> offending = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String path : query.paths()) {
            catalog.find(path)
                    .map(SignalSpec::datatype)
                    .ifPresentOrElse(
                            type -> {
                                if (!storedAsNumber(type)) {
                                    offending.add(path);
                                }
                            },
                            () -> unknown.add(path));
        }
        if (!unknown.isEmpty()) {
            offending.addAll(storedNonNumeric(query, unknown, fromMs));
        }
        if (!offending.isEmpty()) {
            throw new InvalidQueryException("aggregate " + query.aggregate() + " needs numeric signals, but "
                    + String.join(", ", offending.stream().distinct().sorted().toList())
                    + " hold text or list values; use LAST or leave them out");
        }
    }

    /** Numbers and booleans live in the double column ({@link ValueColumns}); strings and every array do not. */
    private static boolean storedAsNumber(VssDatatype type) {
        return !type.isArray() && (type.isNumeric() || type == VssDatatype.BOOLEAN);
    }

    /** Those of {@code paths} (not in the catalog) that hold text or list rows in the query's range. */
    private List<String> storedNonNumeric(HistoryQuery query, List<String> paths, long fromMs) {
        List<String> found = new ArrayList<>();
        reader.forEach(
                "SELECT DISTINCT path FROM " + table + where(paths.size()) + " AND kind > " + ValueColumns.LAST_NUMERIC,
                binds(query.vin(), paths, fromMs, query.toMs()),
                row -> found.add(row.getSymA(0).toString()));
        return found;
    }

    /**
     * A page read by {@code plan}, which takes several statements, each seeing the table as applied when it starts: kept
     * only if no apply ran meanwhile (else a later append could show without an earlier one), otherwise read again;
     * after {@value #STATE_ATTEMPTS} tries under a busy applier, by {@code oneStatement}, one cursor on one state.
     */
    private HistoryPage oneState(
            int limit, Optional<PageCursor> after, Consumer<PageBuilder> plan, Consumer<PageBuilder> oneStatement) {
        for (int attempt = 0; attempt < STATE_ATTEMPTS; attempt++) {
            long before = visibilityVersion.getAsLong();
            if ((before & 1) == 0) {
                PageBuilder page = new PageBuilder(limit, after);
                plan.accept(page);
                if (visibilityVersion.getAsLong() == before) {
                    return page.finish();
                }
            }
        }
        PageBuilder page = new PageBuilder(limit, after);
        oneStatement.accept(page);
        return page.finish();
    }

    /**
     * Whether a car's every signal over {@code [fromMs, toMs)} is read by time with a {@code vin} filter rather than
     * through its series' index: when the whole table holds at most {@code scanMaxRows} rows in the range (counting a
     * range is a lookup in the partitions, not a scan). The index path seeks each series' index from the start of its
     * day partition on every page (QuestDB walks the value blocks of 32 row ids one by one), so a car's late hour of
     * 1 Hz signals costs it about as much as a JIT-filtered scan of 16 M rows on this machine (docs/architecture.md);
     * the scan streams in table order and stops with the page. A fleet's full hour has far more rows and takes the
     * index.
     */
    private boolean scansByTime(long fromMs, long toMs) {
        long rows = reader.singleLong(
                "SELECT count() FROM " + table + " WHERE ts >= $1 AND ts < $2",
                List.of(QuestDbReader.Micros.ofMillis(fromMs), QuestDbReader.Micros.ofMillis(toMs)));
        return rows <= scanMaxRows;
    }

    /**
     * Streams the car's rows from {@code fromMs} by time into {@code page}, over consecutive windows that double from a
     * sixteenth of the range. QuestDB's JIT filter runs frame by frame ahead of the cursor (its "async" filter; the
     * embedded engine runs it on the calling thread), so one statement over the whole range filtered every row of it
     * for each page, however early the page ended; with windows a page filters at most about twice the rows up to its
     * end. Windows split at a millisecond, so the samples of one time are never split between two.
     */
    private void scanByTime(HistoryQuery query, long fromMs, PageBuilder page, SymbolStrings paths) {
        String sql = rawSql(byTimeWhere(query.vin()));
        long windowMs = Math.max(1, (query.toMs() - fromMs) / SCAN_FIRST_WINDOWS);
        boolean[] full = {false};
        for (long lo = fromMs; lo < query.toMs() && !full[0]; windowMs *= 2) {
            long hi = Math.min(query.toMs(), lo + windowMs);
            reader.forEach(sql, List.of(QuestDbReader.Micros.ofMillis(lo), QuestDbReader.Micros.ofMillis(hi)), row -> {
                full[0] = !page.offer(rawPoint(row, paths), row.getLong(2));
                return !full[0];
            });
            lo = hi;
        }
    }

    /** The range and the car, its VIN a literal (the VIN alphabet needs no quoting): keys compare, not text. */
    private static String byTimeWhere(Vin vin) {
        return " WHERE ts >= $1 AND ts < $2 AND vin = "
                + SqlLiterals.quoted(vin.value()).orElseThrow();
    }

    /**
     * Whether a raw page over {@code seriesCount} series reads one cursor per series merged in time order instead of
     * QuestDB's {@code series IN (...) ORDER BY ts}, which sorts every remaining row of the range before returning the
     * first (for each page again). The merge reads only the rows of the page (plus the rest of the same time) and
     * holds a table reader per series while it runs, so beyond {@link TimeMerge#MAX_CURSORS} series the sort is used.
     */
    private static boolean mergesSeries(int seriesCount) {
        return seriesCount > 1 && seriesCount <= TimeMerge.MAX_CURSORS;
    }

    /** {@code binds} (the range, then every series) as one bind list per series: the range and that series. */
    private static List<List<Object>> perSeries(List<Object> binds) {
        List<List<Object>> perSeries = new ArrayList<>(binds.size() - 2);
        for (Object series : binds.subList(2, binds.size())) {
            perSeries.add(List.of(binds.get(0), binds.get(1), series));
        }
        return perSeries;
    }

    /**
     * {@code $1}/{@code $2} the time range, {@code $3...} the series: a single series compares one index key
     * ({@code =}), several merge their index scans in table order ({@code IN}).
     */
    private static String where(int seriesCount) {
        return " WHERE ts >= $1 AND ts < $2 AND series "
                + (seriesCount == 1 ? "= $3" : "IN (" + placeholders(3, seriesCount) + ")");
    }

    /** {@code $first, ..., $(first + count - 1)}. */
    private static String placeholders(int first, int count) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "$" : ", $").append(first + i);
        }
        return sql.toString();
    }

    private static List<Object> binds(Vin vin, List<String> paths, long fromMs, long toMs) {
        List<Object> binds = new ArrayList<>(paths.size() + 2);
        binds.add(QuestDbReader.Micros.ofMillis(fromMs));
        binds.add(QuestDbReader.Micros.ofMillis(toMs));
        for (String path : paths) {
            binds.add(SamplesTable.series(vin, path));
        }
        return binds;
    }

    private HistoryPoint rawPoint(Record row, SymbolStrings paths) {
        return new HistoryPoint(paths.byKey(row), millis(row), value(row, 3));
    }

    private SignalValue lastValue(Record row) {
        return value(row, 2);
    }

    /** The value from the kind, num and txt columns starting at {@code kindColumn}. */
    private SignalValue value(Record row, int kindColumn) {
        var text = row.getVarcharA(kindColumn + 2);
        return columns.value(
                row.getByte(kindColumn),
                row.getDouble(kindColumn + 1),
                text == null ? null : Utf8s.stringFromUtf8Bytes(text));
    }

    private static long millis(Record row) {
        return Math.floorDiv(row.getTimestamp(0), 1000L);
    }
}
