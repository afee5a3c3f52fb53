package io.tsunagu.bench.load;

import io.tsunagu.agent.command.CommandActions;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.CommandState;
import io.tsunagu.sim.FleetConfig;
import io.tsunagu.sim.FleetSimulator;
import io.tsunagu.sim.FleetStats;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code command-rtt}: the command round trip as an API client sees it — {@code POST} a command, then wait until the
 * API shows it executed (see {@link CommandRoundTrip}) — with a fleet of simulated cars (default 1,000) online and streaming telemetry at the simulator's default
 * rate (one frame a second per car). The cars are real agents over mutual TLS, run by a {@link FleetSimulator} in this
 * process and registered over REST with the fleet command key. {@value #IN_FLIGHT} clients each send {@code
 * doors.lock} / {@code doors.unlock} (alternating) to random cars, one command at a time. A broker has no command API,
 * so there is no Mosquitto baseline; the reference is {@code GET /health} timed the same way under the same load.
 */
final class CommandRttScenario implements Scenario {
    static final int IN_FLIGHT = 4;
    private static final String EXECUTED = CommandState.EXECUTED.code();
    private static final Logger LOG = LoggerFactory.getLogger(CommandRttScenario.class);
    /** VIN seed apart from the {@link Provisioner}'s, so the fleet's cars are new to the server. */
    private static final long FLEET_SEED = 4_004;

    private static final long CONNECT_TIMEOUT_MS = 180_000;
    static final int FLEET_THREADS = 8;
    private static final List<String> NOTES = List.of(
            "No Mosquitto baseline (a broker has no command API); the reference is GET /health, timed the same way by"
                    + " the same clients under the same telemetry load.",
            "Round trip = POST .../commands sent -> the car's command stream (SSE, opened before) shows 'executed'."
                    + " ok = executed; failed = every other final state, HTTP errors and commands not final within "
                    + CommandRoundTrip.GIVE_UP_MS / 1_000 + " s (counted per state in the extras). p50.<stage>Ms:"
                    + " medians of the server's own timestamps (created, sent, delivered, finished).",
            "Server CPU per command includes the fleet's telemetry ingest; generator CPU includes the simulated cars.");

    @Override
    public String name() {
        return "command-rtt";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return smoke ? 20 : 1_000;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return smoke ? 2 : 10;
    }

    /** The scenario registers its own cars (with their command key) through the fleet simulator. */
    @Override
    public int carsNeeded(ScenarioSettings settings) {
        return 0;
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        ChildServer server = context.server();
        Path buffers = WorkDirectory.create();
        FleetConfig config = fleetConfig(settings.vehicles(), buffers, server.mqttPort());
        try (FleetSimulator fleet = new FleetSimulator(config, new RestCarProvisioner(server))) {
            long started = System.nanoTime();
            fleet.start();
            awaitConnected(fleet, settings.vehicles());
            double connectAllS = (System.nanoTime() - started) / 1e9;
            return measure(server, fleet, settings, connectAllS);
        } finally {
            WorkDirectory.delete(buffers);
        }
    }

    private ScenarioResult measure(
            ChildServer server, FleetSimulator fleet, ScenarioSettings settings, double connectAllS) {
        CommandRoundTrip client = new CommandRoundTrip(server);
        List<Vin> vins = fleet.vins();
        AtomicLong sent = new AtomicLong();
        Supplier<CommandRoundTrip.Outcome> command = () -> client.command(
                vins.get(ThreadLocalRandom.current().nextInt(vins.size())),
                sent.getAndIncrement() % 2 == 0 ? CommandActions.DOORS_LOCK : CommandActions.DOORS_UNLOCK);
        ClosedLoop.run(IN_FLIGHT, settings.warmupMs(), server.meter(), command);
        long telemetryBefore = fleet.stats().acked();
        ClosedLoop.Result commands = ClosedLoop.run(IN_FLIGHT, settings.durationS() * 1_000L, server.meter(), command);
        FleetStats after = fleet.stats();
        ClosedLoop.Result health =
                ClosedLoop.run(IN_FLIGHT, settings.durationS() * 1_000L, server.meter(), client::health);
        Map<String, Double> extras = new LinkedHashMap<>(commands.finalStates(EXECUTED));
        commands.stagesMs().forEach((stage, ms) -> extras.put("p50." + stage + "Ms", ms));
        extras.put("connectAllS", connectAllS);
        extras.put("carsConnectedAtEnd", (double) after.connected());
        extras.put(
                "telemetryAckedPerS",
                (after.acked() - telemetryBefore) / commands.snapshot().seconds());
        Measurement rtt = commands.measurement("tsunagu-command", "command", EXECUTED, extras);
        Measurement reference = health.measurement("tsunagu-health", "request", CommandRoundTrip.OK, Map.of());
        return new ScenarioResult(
                name(),
                Map.of(
                        "cars",
                        settings.vehicles(),
                        "commandsInFlight",
                        IN_FLIGHT,
                        "giveUpS",
                        CommandRoundTrip.GIVE_UP_MS / 1_000,
                        "telemetryFramesPerSPerCar",
                        1,
                        "seconds",
                        settings.durationS()),
                List.of(rtt, reference),
                Map.of(
                        "p50", rtt.p50Ms() / Math.max(reference.p50Ms(), 1e-9),
                        "p99", rtt.p99Ms() / Math.max(reference.p99Ms(), 1e-9)),
                NOTES);
    }

    /**
     * The simulator's defaults (one frame a second per car) with {@value #FLEET_THREADS} threads instead of 2: the
     * agents' command store forces each step to the device, and with two threads for 1,000 cars those waits stalled
     * every car's telemetry and commands behind them.
     */
    private static FleetConfig fleetConfig(int cars, Path buffers, int mqttPort) {
        FleetConfig d = FleetConfig.defaults(cars, FLEET_SEED, buffers, System.currentTimeMillis());
        return new FleetConfig(
                d.cars(),
                d.seed(),
                d.speed(),
                d.reportIntervalMs(),
                d.maxReportsPerSecondPerCar(),
                "localhost",
                mqttPort,
                d.bufferDir(),
                d.simStartEpochMs(),
                d.profiles(),
                FLEET_THREADS,
                d.bufferFsync());
    }

    private static void awaitConnected(FleetSimulator fleet, int cars) {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT_MS * 1_000_000;
        while (fleet.stats().connected() < cars) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + fleet.stats().connected() + " of " + cars
                        + " simulated cars connected within " + CONNECT_TIMEOUT_MS / 1_000 + " s");
            }
            ChildServer.sleep(100);
        }
        LOG.info("All {} simulated cars connected", cars);
    }
}
