package io.tsunagu.bench;

import io.tsunagu.bench.micro.Directories;
import io.tsunagu.bench.micro.HistoryFootprint;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs Tsunagu's JMH micro-benchmarks from the module's class path (no uber-jar) and prints JMH's table, then figures
 * per second, ratios against the baselines measured in the same run, and the history's bytes per stored sample.
 *
 * <pre>
 * JmhMain [--quick | --smoke] [--forks N] [--json FILE] [REGEX ...]
 * </pre>
 *
 * REGEX selects benchmarks by name (e.g. {@code Decode}, {@code HistoryAppend}); none runs all.
 */
public final class JmhMain {
    static final String USAGE = """
            usage: jmh [--quick | --smoke] [--forks N] [--json FILE] [REGEX ...]
              --quick      1 x 1 s warm-up, 2 x 1 s measured (all benchmarks in about 80 s)
              --smoke      in this JVM, 1 x 100 ms each: proves the harness runs, figures mean nothing
              --forks N    JVMs forked per benchmark (default 1; 0 = in this JVM)
              --json FILE  also write JMH's results as JSON
              REGEX        benchmarks to run, e.g. Decode, Validate, TwinApply, HistoryAppend, Ingest (default: all)
            """;
    private static final String PACKAGE = "io.tsunagu.bench.micro.";

    private final PrintStream out;

    /** @param out where JMH's progress and the report go */
    public JmhMain(PrintStream out) {
        this.out = out;
    }

    /** Command-line entry; the report is this program's output, so it goes to standard output. */
    public static void main(String[] args) throws RunnerException {
        new JmhMain(System.out).run(args);
    }

    /**
     * Parses {@code args}, runs the selected benchmarks and prints the report.
     *
     * @return JMH's results; empty when only usage was printed
     * @throws IllegalArgumentException for unknown options or a missing option value
     */
    public Collection<RunResult> run(String... args) throws RunnerException {
        Args parsed = Args.parse(args);
        if (parsed.help()) {
            out.print(USAGE);
            return List.of();
        }
        return run(parsed.settings(), parsed.includes(), parsed.json());
    }

    /** Runs the benchmarks matching {@code includes} (all when empty) with {@code settings} and prints the report. */
    public Collection<RunResult> run(JmhSettings settings, List<String> includes, Optional<Path> json)
            throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(settings.forks())
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.warmupTime().toMillis()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(
                        TimeValue.milliseconds(settings.measurementTime().toMillis()))
                .jvmArgsAppend(missingJvmFlags().toArray(String[]::new))
                .shouldFailOnError(true);
        if (includes.isEmpty()) {
            options.include(PACKAGE.replace(".", "\\.") + ".*");
        }
        includes.forEach(options::include);
        json.ifPresent(file -> options.resultFormat(ResultFormatType.JSON).result(file.toString()));
        VerboseMode verbosity = settings.forks() == 0 ? VerboseMode.SILENT : VerboseMode.NORMAL;
        Collection<RunResult> results =
                new Runner(options.build(), OutputFormatFactory.createFormatInstance(out, verbosity)).run();
        BenchReport report = new BenchReport(out);
        report.print(settings, results);
        if (report.ranHistoryAppend(results)) {
            report.printFootprint(footprints(settings));
        }
        return results;
    }

    private static List<HistoryFootprint.Footprint> footprints(JmhSettings settings) {
        HistoryFootprint footprint = new HistoryFootprint(settings.footprintCars(), settings.footprintSeconds());
        try {
            Path scratch = Files.createTempDirectory("tsunagu-bench-footprint-");
            try {
                List<HistoryFootprint.Footprint> measured = new ArrayList<>();
                for (String writer : List.of(
                        "tsunagu",
                        "raw-wal",
                        "raw-table",
                        HistoryFootprint.PARQUET,
                        HistoryFootprint.TSUNAGU_PARQUET,
                        HistoryFootprint.TSUNAGU_ARCHIVE)) {
                    measured.add(footprint.measure(writer, scratch));
                }
                return measured;
            } finally {
                Directories.delete(scratch); // also what a failed measurement left
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forked JVMs inherit this JVM's flags; add what QuestDB needs on JDK 24+ if this JVM was started without it. */
    private static List<String> missingJvmFlags() {
        List<String> present = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> needed = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            needed.add("--sun-misc-unsafe-memory-access=allow");
        }
        needed.removeAll(present);
        return needed;
    }

    /** The parsed command line. */
    record Args(boolean help, JmhSettings settings, List<String> includes, Optional<Path> json) {
        static Args parse(String... args) {
            JmhSettings settings = JmhSettings.full();
            Optional<Integer> forks = Optional.empty();
            Optional<Path> json = Optional.empty();
            List<String> includes = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> {
                        return new Args(true, settings, List.of(), Optional.empty());
                    }
                    case "--quick" -> settings = JmhSettings.quick();
                    case "--smoke" -> settings = JmhSettings.smoke();
                    case "--forks" -> forks = Optional.of(parseForks(value(args, ++i, "--forks")));
                    case "--json" -> json = Optional.of(Path.of(value(args, ++i, "--json")));
                    default -> {
                        if (args[i].startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                        }
                        includes.add(args[i]);
                    }
                }
            }
            JmhSettings chosen = forks.isPresent() ? settings.withForks(forks.get()) : settings;
            return new Args(false, chosen, List.copyOf(includes), json);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            return args[index];
        }

        private static int parseForks(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--forks needs a whole number, got '" + text + "'", e);
            }
        }
    }
}
