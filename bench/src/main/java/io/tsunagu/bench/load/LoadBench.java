package io.tsunagu.bench.load;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs load scenarios: starts the Tsunagu server in a child JVM and Mosquitto as the baseline, registers the cars
 * the scenarios need through the REST API, runs each scenario against both (or, for {@code command-rtt}, which has no
 * broker counterpart, against an in-run reference), and stops everything again. Scenarios that measure storage engines
 * in this process ({@code history-query}) run after that, with no server or broker running.
 */
public final class LoadBench {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBench.class);

    /** Every scenario, by name, in the order {@code all} runs them. */
    public static final List<String> SCENARIOS = List.of(
            "ingest-max",
            "ingest-fleet",
            "connect-storm",
            "twin-read",
            "command-rtt",
            "history-query",
            "ddi-poll",
            "ddi-download");

    /**
     * Netty's leak detector in this JVM (the generator's Netty cars and HiveMQ clients) tracks 1 in 128 buffers with a
     * stack trace each: 2 % of the generator's CPU in {@code ingest-max}. The generator is not what is measured and
     * drives every target alike; the server under test keeps Netty's default. A {@code -D} on the command line wins.
     */
    private static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

    static {
        if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
            System.setProperty(NETTY_LEAK_DETECTION, "disabled");
        }
    }

    private final ServerLauncher launcher;

    /**
     * What to run.
     *
     * @param scenarios names from {@link #SCENARIOS}
     * @param vehicles cars (connections for {@code ingest-max}, simulated cars for {@code command-rtt}); each
     *     scenario's default when empty
     * @param durationS measured seconds per target; each scenario's default when empty
     * @param windowS {@code history-query}: seconds of data of every car; its default when empty
     * @param ingestShare {@code twin-read}: background ingest as a share of {@code ingest-fleet}'s offered rate, 0 to
     *     1 (0: the cars publish only during the warm-up); its default (0.5) when empty
     * @param smoke the short CI mode (small numbers, a few seconds per scenario)
     * @param keepWorkDir keep the server's data and logs (path logged) instead of deleting them
     * @param generator the MQTT client of the cars of {@code ingest-max}, {@code ingest-fleet} and {@code twin-read}
     */
    public record Options(
            List<String> scenarios,
            OptionalInt vehicles,
            OptionalInt durationS,
            OptionalInt windowS,
            OptionalDouble ingestShare,
            boolean smoke,
            boolean keepWorkDir,
            Generator generator) {
        /** The options with the default generator ({@link Generator#NETTY}). */
        public Options(
                List<String> scenarios,
                OptionalInt vehicles,
                OptionalInt durationS,
                OptionalInt windowS,
                OptionalDouble ingestShare,
                boolean smoke,
                boolean keepWorkDir) {
            this(scenarios, vehicles, durationS, windowS, ingestShare, smoke, keepWorkDir, Generator.NETTY);
        }

        public Options {
            scenarios = List.copyOf(scenarios);
            for (String name : scenarios) {
                if (!SCENARIOS.contains(name)) {
                    throw new IllegalArgumentException("unknown scenario '" + name + "'; one of " + SCENARIOS);
                }
            }
            vehicles.ifPresent(n -> require(n > 0, "--vehicles must be > 0, got " + n));
            durationS.ifPresent(s -> require(s > 0, "--duration must be > 0, got " + s));
            windowS.ifPresent(s -> require(s > 0 && s <= 86_400, "--window must be 1 to 86400 s, got " + s));
            ingestShare.ifPresent(s -> require(s >= 0 && s <= 1, "--ingest-share must be 0 to 1, got " + s));
        }
    }

    public LoadBench(ServerLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * Runs the scenarios and returns their figures.
     *
     * @throws IllegalStateException if the server, Mosquitto or a scenario cannot run (e.g. Mosquitto is missing)
     */
    public BenchSummary run(Options options) {
        String startedAt = Instant.now().toString();
        Map<Scenario, ScenarioSettings> plan = plan(options);
        Path workDir = WorkDirectory.create();
        Map<Scenario, ScenarioResult> results = new LinkedHashMap<>();
        try {
            runWithServer(plan, workDir, results);
            plan.forEach((scenario, settings) -> {
                if (!scenario.needsServer()) {
                    LOG.info("Running {} with {}", scenario.name(), settings);
                    results.put(scenario, scenario.runAlone(settings, workDir));
                }
            });
        } finally {
            if (options.keepWorkDir()) {
                LOG.info("Bench data and server log kept in {}", workDir);
            } else {
                WorkDirectory.delete(workDir);
            }
        }
        List<ScenarioResult> inPlanOrder = new ArrayList<>();
        plan.keySet().forEach(scenario -> inPlanOrder.add(results.get(scenario)));
        return new BenchSummary(machine(), startedAt, options.smoke(), inPlanOrder);
    }

    /** Starts the server and Mosquitto only if a planned scenario needs them, and runs those scenarios. */
    private void runWithServer(
            Map<Scenario, ScenarioSettings> plan, Path workDir, Map<Scenario, ScenarioResult> results) {
        Map<Scenario, ScenarioSettings> needing = new LinkedHashMap<>();
        plan.forEach((scenario, settings) -> {
            if (scenario.needsServer()) {
                needing.put(scenario, settings);
            }
        });
        if (needing.isEmpty()) {
            return;
        }
        int carsNeeded = needing.entrySet().stream()
                .mapToInt(e -> e.getKey().carsNeeded(e.getValue()))
                .max()
                .orElse(0);
        try (ChildServer server = ChildServer.start(launcher, workDir);
                MosquittoBroker mosquitto = MosquittoBroker.start(server.caDirectory())) {
            BenchContext context = new BenchContext(server, mosquitto, new Provisioner(server).register(carsNeeded));
            needing.forEach((scenario, settings) -> {
                LOG.info("Running {} with {}", scenario.name(), settings);
                results.put(scenario, scenario.run(context, settings));
            });
        }
    }

    private static Map<Scenario, ScenarioSettings> plan(Options options) {
        Map<Scenario, ScenarioSettings> plan = new LinkedHashMap<>();
        for (String name : options.scenarios()) {
            Scenario scenario = scenario(name).orElseThrow();
            plan.put(
                    scenario,
                    new ScenarioSettings(
                            options.vehicles().orElse(scenario.defaultVehicles(options.smoke())),
                            options.durationS().orElse(scenario.defaultDurationS(options.smoke())),
                            options.smoke(),
                            options.windowS(),
                            options.ingestShare(),
                            options.generator()));
        }
        return plan;
    }

    private static Optional<Scenario> scenario(String name) {
        return switch (name) {
            case "ingest-max" -> Optional.of(new IngestMaxScenario());
            case "ingest-fleet" -> Optional.of(new IngestFleetScenario());
            case "connect-storm" -> Optional.of(new ConnectStormScenario());
            case "twin-read" -> Optional.of(new TwinReadScenario());
            case "command-rtt" -> Optional.of(new CommandRttScenario());
            case "history-query" -> Optional.of(new HistoryQueryScenario());
            case "ddi-poll" -> Optional.of(new DdiPollScenario());
            case "ddi-download" -> Optional.of(new DdiDownloadScenario());
            default -> Optional.empty();
        };
    }

    private static String machine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return Runtime.getRuntime().availableProcessors() + " cores, " + os.getName() + " " + os.getVersion() + " "
                + os.getArch() + ", Java " + Runtime.version();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
