package io.tsunagu.app;

import io.tsunagu.bench.load.BenchSummary;
import io.tsunagu.bench.load.Generator;
import io.tsunagu.bench.load.LoadBench;
import io.tsunagu.bench.load.ServerLauncher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagu bench}: load scenarios against a server in a child JVM, with Mosquitto as the baseline. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure Tsunagu under load next to a baseline, in the same run.",
            "",
            "Starts 'tsunagu server' in a child JVM and Debian's Mosquitto (/usr/sbin/mosquitto) on loopback ports;"
                    + " this process generates the load with real MQTT 5 cars over mutual TLS. Prints messages/s,"
                    + " signals/s, acknowledgement latency (p50/p99/p99.9), CPU-µs per operation of the server and of"
                    + " this generator (they share the machine), and Tsunagu/baseline ratios.",
            "",
            "command-rtt runs simulated cars (real agents, telemetry on) in this process and times the command round"
                    + " trip through the REST API (POST, then poll until executed); its reference is GET /health.",
            "",
            "history-query needs no server: it loads a seeded EV data set (--vehicles cars x 20 signals for --window"
                    + " seconds, plus one car's full day) into Tsunagu's history store and DuckDB, and times three"
                    + " queries on Tsunagu's history API, QuestDB SQL and DuckDB SQL after checking that all three"
                    + " answer the same.",
            "",
            "Scenarios: ingest-max, ingest-fleet, connect-storm, twin-read, command-rtt, history-query, ddi-poll,"
                    + " ddi-download, or all."
        })
final class BenchCommand implements Runnable {
    @Parameters(
            index = "0",
            paramLabel = "SCENARIO",
            description = "ingest-max, ingest-fleet, connect-storm, twin-read, command-rtt, history-query, ddi-poll,"
                    + " ddi-download or all")
    String scenario;

    @Option(
            names = "--vehicles",
            description = "Cars (connections for ingest-max); default per scenario: 4 for ingest-max, 1000 for"
                    + " command-rtt, 10000 for history-query, 5000 otherwise.")
    Optional<Integer> vehicles;

    @Option(names = "--duration", description = "Measured seconds per target; default per scenario (10-20 s).")
    Optional<Integer> durationSeconds;

    @Option(
            names = "--window",
            description = "history-query: seconds of 1 Hz data of every car (default 120); one car always has a day.")
    Optional<Integer> windowSeconds;

    @Option(
            names = "--ingest-share",
            description = "twin-read: background ingest as a share of ingest-fleet's offered rate, 0 to 1 (default"
                    + " 0.5); 0 measures the reads alone (the cars publish only during the warm-up).")
    Optional<Double> ingestShare;

    @Option(
            names = "--generator",
            defaultValue = "netty",
            description = "MQTT client of the cars of ingest-max, ingest-fleet and twin-read: netty (default: our own"
                    + " cars on Netty's MQTT codec, publishing on their event loops) or hivemq (HiveMQ's client, the"
                    + " generator before); it drives Tsunagu and Mosquitto alike. connect-storm always uses hivemq.")
    String generator;

    @Option(names = "--json", description = "Also write the summary as JSON to this file.")
    Optional<Path> json;

    @Option(names = "--smoke", description = "Short CI mode: small numbers, a few seconds per scenario.")
    boolean smoke;

    @Option(names = "--keep", description = "Keep the server's data directory and log (path is logged).")
    boolean keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        List<String> scenarios = scenario.equals("all") ? LoadBench.SCENARIOS : List.of(scenario);
        LoadBench.Options options;
        try {
            options = new LoadBench.Options(
                    scenarios,
                    optionalInt(vehicles),
                    optionalInt(durationSeconds),
                    optionalInt(windowSeconds),
                    ingestShare.map(OptionalDouble::of).orElseGet(OptionalDouble::empty),
                    smoke,
                    keep,
                    Generator.of(generator));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        BenchSummary summary = new LoadBench(ServerLauncher.sameClassPath(Main.class.getName())).run(options);
        PrintWriter out = spec.commandLine().getOut();
        out.print(summary.table());
        json.ifPresent(file -> {
            summary.writeJson(file);
            out.println("JSON summary written to " + file);
        });
        out.flush();
    }

    private static OptionalInt optionalInt(Optional<Integer> value) {
        return value.map(OptionalInt::of).orElseGet(OptionalInt::empty);
    }
}
