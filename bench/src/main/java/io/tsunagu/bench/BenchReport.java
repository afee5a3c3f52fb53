package io.tsunagu.bench;

import io.tsunagu.bench.micro.ColdQueryCost;
import io.tsunagu.bench.micro.EvFleet;
import io.tsunagu.bench.micro.HistoryFootprint;
import io.tsunagu.bench.micro.HistoryFootprint.Footprint;
import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH results into the figures the benchmark table asks for: signals per second for the per-message benchmarks,
 * Tsunagu-to-baseline ratios from the same run, and bytes per stored sample.
 */
final class BenchReport {
    private static final String HISTORY_APPEND = "HistoryAppendBenchmark.append";

    /** A ratio of two results of the same run: {@code numerator / denominator}. */
    private record Ratio(String name, String numerator, String denominator, String note) {}

    private static final List<Ratio> RATIOS = List.of(
            new Ratio(
                    "decode JSON, Tsunagu / Jackson tokens",
                    "DecodeBenchmark.json",
                    "DecodeBenchmark.jsonJacksonTokensBaseline",
                    ""),
            new Ratio(
                    "decode protobuf, Tsunagu / protobuf parse",
                    "DecodeBenchmark.protobuf",
                    "DecodeBenchmark.protobufParseBaseline",
                    ""),
            new Ratio("decode, protobuf / JSON", "DecodeBenchmark.protobuf", "DecodeBenchmark.json", ""),
            new Ratio(
                    "validate, full checks / lookup only",
                    "ValidateBenchmark.validate",
                    "ValidateBenchmark.lookupOnlyBaseline",
                    ""),
            new Ratio(
                    "twin apply, 10 k cars / 1 k cars",
                    "TwinApplyBenchmark.apply[cars=10000]",
                    "TwinApplyBenchmark.apply[cars=1000]",
                    ""),
            new Ratio(
                    "history-append, tsunagu / raw-wal",
                    HISTORY_APPEND + "[writer=tsunagu]",
                    HISTORY_APPEND + "[writer=raw-wal]",
                    "target >= 0.5x the raw engine"),
            new Ratio(
                    "history-append, tsunagu-apply-ack / raw-wal",
                    HISTORY_APPEND + "[writer=tsunagu-apply-ack]",
                    HISTORY_APPEND + "[writer=raw-wal]",
                    "every commit applied before it returns (ack-before-apply off)"),
            new Ratio(
                    "history-append, tsunagu / raw-table",
                    HISTORY_APPEND + "[writer=tsunagu]",
                    HISTORY_APPEND + "[writer=raw-table]",
                    "the engine's fastest append: no WAL, no dedup"),
            new Ratio(
                    "ingest pipeline, questdb / discard",
                    "IngestBenchmark.submitAndAwaitDurable[history=questdb]",
                    "IngestBenchmark.submitAndAwaitDurable[history=discard]",
                    "the cost of durable history"));

    /** Columns in table order, then the rest; write-ahead-log segments are shown apart. */
    private static final List<String> PART_ORDER = List.of(
            "ts",
            "vin",
            "path",
            "seq",
            "kind",
            "num",
            "txt",
            "parquet",
            HistoryFootprint.ARCHIVE_DAY,
            HistoryFootprint.ARCHIVE_LATEST,
            HistoryFootprint.TABLE_FILES);

    private final PrintStream out;

    BenchReport(PrintStream out) {
        this.out = out;
    }

    void print(JmhSettings settings, Collection<RunResult> results) {
        Map<String, Result<?>> byLabel = byLabel(results);
        out.printf(
                Locale.ROOT,
                "%nTsunagu micro-benchmarks (%s; %d CPUs, JDK %s)%n",
                settings.describe(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        out.printf(Locale.ROOT, "%-70s %16s %12s  %s%n", "benchmark", "score", "± error", "per second");
        byLabel.forEach((label, result) -> out.printf(
                Locale.ROOT,
                "%-70s %16s %12s  %s%n",
                label,
                figure(result.getScore()),
                figure(result.getScoreError()),
                perSecond(label, result.getScore())));
        out.printf(Locale.ROOT, "%nRatios (same run)%n");
        for (Ratio ratio : RATIOS) {
            Optional<Result<?>> top = Optional.ofNullable(byLabel.get(ratio.numerator()));
            Optional<Result<?>> bottom = Optional.ofNullable(byLabel.get(ratio.denominator()));
            if (top.isPresent() && bottom.isPresent()) {
                out.printf(
                        Locale.ROOT,
                        "  %-45s %6.2fx  %s%n",
                        ratio.name(),
                        top.get().getScore() / bottom.get().getScore(),
                        ratio.note());
            }
        }
    }

    boolean ranHistoryAppend(Collection<RunResult> results) {
        return byLabel(results).keySet().stream().anyMatch(label -> label.startsWith(HISTORY_APPEND));
    }

    void printFootprint(List<Footprint> footprints) {
        long samples = footprints.getFirst().samples();
        out.printf(
                Locale.ROOT,
                "%nhistory-append: bytes per stored sample (%,d realistic EV samples, time-ordered; target <= 4 B)%n",
                samples);
        for (Footprint footprint : footprints) {
            String parts = PART_ORDER.stream()
                    .filter(footprint.bytesByPart()::containsKey)
                    .map(part -> "%s %.1f"
                            .formatted(part, (double) footprint.bytesByPart().get(part) / footprint.samples()))
                    .collect(Collectors.joining(", "));
            long walBytes = footprint.bytesByPart().getOrDefault(HistoryFootprint.WAL_PART, 0L);
            out.printf(
                    Locale.ROOT,
                    "  %-18s %6.1f B/sample  (%s)%s%n",
                    footprint.writer(),
                    footprint.bytesPerSample(),
                    parts,
                    walBytes == 0
                            ? ""
                            : "; plus %.1f B/sample of WAL segments until the 30 s purge"
                                    .formatted((double) walBytes / footprint.samples()));
        }
        footprints.forEach(footprint -> footprint.queryCost().ifPresent(this::printColdQueryCost));
        Footprint tsunagu = footprints.getFirst();
        if (tsunagu.bytesPerSample() > 4) {
            out.printf(
                    Locale.ROOT,
                    "  Tsunagu stores %.1fx the 4 B target: every row holds ts 8 B, vin, path and series symbols 4 B each"
                            + " (+ the series index), seq 8 B, kind 1 B, num 8 B and a txt varchar entry (16 B even"
                            + " when empty), uncompressed.%n",
                    tsunagu.bytesPerSample() / 4);
        }
    }

    private void printColdQueryCost(ColdQueryCost cost) {
        out.printf(Locale.ROOT, "history on a cold day: CPU us per query, native -> %s%n", cost.cold());
        ColdQueryCost.Side before = cost.nativeDay();
        ColdQueryCost.Side after = cost.parquetDay();
        out.printf(
                Locale.ROOT,
                "  one car's raw day %s; one car's raw hour %s; one series 1-min avg %s; latest of every car %s%n",
                change(before.rawCarMicros(), after.rawCarMicros()),
                change(before.rawCarHourMicros(), after.rawCarHourMicros()),
                change(before.downsampledMicros(), after.downsampledMicros()),
                change(before.latestMicros(), after.latestMicros()));
    }

    private static String change(double before, double after) {
        return String.format(Locale.ROOT, "%,.0f -> %,.0f (%.2fx)", before, after, after / before);
    }

    /** Results by "Class.method" plus "[param=value,...]" when the benchmark has parameters, in name order. */
    private static Map<String, Result<?>> byLabel(Collection<RunResult> results) {
        Map<String, Result<?>> byLabel = new TreeMap<>();
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new LinkedHashMap<>();
            run.getParams()
                    .getParamsKeys()
                    .forEach(key -> params.put(key, run.getParams().getParam(key)));
            String label = params.isEmpty()
                    ? shortName
                    : shortName
                            + params.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining(",", "[", "]"));
            byLabel.put(label, run.getPrimaryResult());
        }
        return byLabel;
    }

    /** Per-message benchmarks carry one frame of 20 signals per op; the history benchmark counts samples already. */
    private static String perSecond(String label, double opsPerSecond) {
        if (label.startsWith(HISTORY_APPEND)) {
            return figure(opsPerSecond) + " samples/s";
        }
        return figure(opsPerSecond) + " msg/s = " + figure(opsPerSecond * EvFleet.SIGNALS_PER_FRAME) + " signals/s";
    }

    private static String figure(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", value / 1e6);
        }
        if (value >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
