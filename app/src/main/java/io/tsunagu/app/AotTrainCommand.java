package io.tsunagu.app;

import io.tsunagu.bench.load.AotCache;
import io.tsunagu.bench.load.BenchSummary;
import io.tsunagu.bench.load.LoadBench;
import io.tsunagu.bench.load.ServerLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tsunagu aot-train}: writes the server's JDK AOT cache from a training run under the bench's real workload.
 */
@Command(
        name = "aot-train",
        mixinStandardHelpOptions = true,
        description = {
            "Write the server's JDK AOT cache (JDK 25+: classes loaded and linked, method profiles) from a training run.",
            "",
            "Starts 'tsunagu server' in a child JVM with -XX:AOTCacheOutput, drives it with the bench's ingest-fleet and"
                    + " connect-storm scenarios (real cars over mutual TLS; Mosquitto runs as in every bench), stops it"
                    + " and keeps the cache the JVM writes on exit (a second JVM assembles it; a minute or two).",
            "",
            "With TSUNAGU_AOT=on, ./tsunagu starts 'server' (and the bench's server under test) with -XX:AOTCache when"
                    + " the JDK is 25+, the cache exists and is not older than the build; off by default (it halves the"
                    + " start-up CPU but measured no gain on ingest-fleet). A cache from another JDK build or class path"
                    + " is ignored by the JVM (with a warning), never fatal; the server prints whether it was used."
        })
final class AotTrainCommand implements Runnable {
    private static final List<String> SCENARIOS = List.of("ingest-fleet", "connect-storm");

    @Option(
            names = "--output",
            description = "Cache file; default: the -D" + AotCache.FILE_PROPERTY
                    + " that ./tsunagu sets (app/target/tsunagu.aot).")
    Optional<Path> output;

    @Option(names = "--vehicles", defaultValue = "1000", description = "Cars of the training workload (default 1000).")
    int vehicles;

    @Option(
            names = "--duration",
            defaultValue = "10",
            description = "Measured seconds of ingest-fleet per target, after its warm-up (default 10).")
    int durationS;

    @Option(names = "--keep", description = "Keep the training server's data directory and log (path is logged).")
    boolean keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Path file = output.or(() -> Optional.ofNullable(System.getProperty(AotCache.FILE_PROPERTY))
                        .map(Path::of))
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(), "no cache file: give --output FILE (./tsunagu sets a default)"));
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        ServerLauncher launcher =
                ServerLauncher.sameClassPath(Main.class.getName()).training(partial);
        long startedNs = System.nanoTime();
        deleteIfExists(partial);
        BenchSummary summary = new LoadBench(launcher).run(options());
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(partial)) {
            throw new IllegalStateException("the training server wrote no AOT cache to " + partial
                    + "; run with --keep and read server.log (its [aot] lines)");
        }
        move(partial, file);
        out.print(summary.table());
        out.printf(
                "AOT cache written: %s (%d MB) in %d s%n",
                file, size(file) >> 20, (System.nanoTime() - startedNs) / 1_000_000_000L);
        out.flush();
    }

    private LoadBench.Options options() {
        return new LoadBench.Options(
                SCENARIOS,
                OptionalInt.of(vehicles),
                OptionalInt.of(durationS),
                OptionalInt.empty(),
                OptionalDouble.empty(),
                false,
                keep);
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }
}
