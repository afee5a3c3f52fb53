package io.tsunagu.bench.load;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs load scenarios: starts the Tsunagu server in a child JVM and Mosquitto as the baseline, registers the cars
 * the scenarios need through the REST API, runs each scenario against both (or, for {@code command-rtt}, which has no
 * broker counterpart, against an in-run reference), and stops everything again.
 */
public final class LoadBench {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBench.class);

    /** Every scenario, by name, in the order {@code all} runs them. */
    public static final List<String> SCENARIOS = List.of(
            "ingest-max", "ingest-fleet", "connect-storm", "twin-read", "command-rtt", "ddi-poll", "ddi-download");

    private final ServerLauncher launcher;

    /**
     * What to run.
     *
     * @param scenarios names from {@link #SCENARIOS}
     * @param vehicles cars (connections for {@code ingest-max}, simulated cars for {@code command-rtt}); each
     *     scenario's default when empty
     * @param durationS measured seconds per target; each scenario's default when empty
     * @param smoke the short CI mode (small numbers, a few seconds per scenario)
     * @param keepWorkDir keep the server's data and logs (path logged) instead of deleting them
     */
    public record Options(
            List<String> scenarios, OptionalInt vehicles, OptionalInt durationS, boolean smoke, boolean keepWorkDir) {
        public Options {
            scenarios = List.copyOf(scenarios);
            for (String name : scenarios) {
                if (!SCENARIOS.contains(name)) {
                    throw new IllegalArgumentException("unknown scenario '" + name + "'; one of " + SCENARIOS);
                }
            }
            vehicles.ifPresent(n -> require(n > 0, "--vehicles must be > 0, got " + n));
            durationS.ifPresent(s -> require(s > 0, "--duration must be > 0, got " + s));
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
        int carsNeeded = plan.entrySet().stream()
                .mapToInt(e -> e.getKey().carsNeeded(e.getValue()))
                .max()
                .orElse(0);
        Path workDir = WorkDirectory.create();
        List<ScenarioResult> results = new ArrayList<>();
        try (ChildServer server = ChildServer.start(launcher, workDir);
                MosquittoBroker mosquitto = MosquittoBroker.start(server.caDirectory())) {
            BenchContext context = new BenchContext(server, mosquitto, new Provisioner(server).register(carsNeeded));
            plan.forEach((scenario, settings) -> {
                LOG.info("Running {} with {}", scenario.name(), settings);
                results.add(scenario.run(context, settings));
            });
        } finally {
            if (options.keepWorkDir()) {
                LOG.info("Bench data and server log kept in {}", workDir);
            } else {
                WorkDirectory.delete(workDir);
            }
        }
        return new BenchSummary(machine(), startedAt, options.smoke(), results);
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
                            options.smoke()));
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
