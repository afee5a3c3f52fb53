package io.tsunagu.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code connect-storm}: every car (default 10,000, as issue 3 asks) connects with its client certificate as fast as the
 * target completes handshakes, as after a server restart (the cold storm: full handshakes); then all disconnect and
 * reconnect at once with the same client objects (the resumed storm: each car offers the TLS 1.3 session ticket of its
 * own last session, as cars do after sleep, a tunnel or a cell handover). Reports, per storm and target, handshakes per
 * second, the time until all are connected and the server's resident memory per connected idle car (VmRSS delta /
 * cars; for a JVM this includes heap the collector has not given back, so it is an upper bound). For Tsunagu the
 * gateway's own count of resumed handshakes is printed too ({@code resumedHandshakes}).
 *
 * <p>At most {@value #IN_FLIGHT} connects are outstanding per target (each CONNACK or failure starts the next car):
 * Mosquitto 2.0 listens with a fixed backlog of 100, so thousands of SYNs at once overflow its accept queue and the
 * storm then measures the kernel's SYN retransmissions (1 s, 3 s, 7 s...) and the resets of connections whose final
 * ACK was dropped. With this bound both targets always have a queue of handshakes to work on and neither listen queue
 * can overflow; the kernel's overflow counters are printed per target to show it.
 */
final class ConnectStormScenario implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectStormScenario.class);
    private static final long SETTLE_MS = 1_000;
    /** Connects outstanding per target: Mosquitto's listen backlog (100, fixed in its source). */
    static final int IN_FLIGHT = 100;

    @Override
    public String name() {
        return "connect-storm";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return smoke ? 50 : 10_000;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return 0; // runs until every car is connected
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        List<CarIdentity> cars = context.cars(settings.vehicles());
        List<String> notes = new ArrayList<>(
                List.of(
                        "connect/s = handshakes per second over the storm; latency = TCP connect to CONNACK per car; at most "
                                + IN_FLIGHT + " connects outstanding per target (Mosquitto's listen backlog).",
                        "cold = every car's first connect (full handshakes); resumed = all disconnected, then every car"
                                + " reconnects with its own saved TLS session (the same client object).",
                        "Tsunagu also checks CN = client id, validity and the registry's revocation state at every CONNECT"
                                + " (resumed or not); Mosquitto only the CA signature in full handshakes (no CRL configured)."));
        Optional<ChildServer> server = Optional.of(context.server());
        List<Measurement> tsunagu = storms(context.tsunagu(), cars, notes, server);
        List<Measurement> mosquitto = storms(context.mosquittoTarget(), cars, notes, Optional.empty());
        Map<String, Double> ratios = new HashMap<>();
        ScenarioResult.ratios(tsunagu.get(0), mosquitto.get(0)).forEach((k, v) -> ratios.put("cold." + k, v));
        ScenarioResult.ratios(tsunagu.get(1), mosquitto.get(1)).forEach((k, v) -> ratios.put("resumed." + k, v));
        return new ScenarioResult(
                name(),
                Map.of("cars", settings.vehicles()),
                List.of(tsunagu.get(0), mosquitto.get(0), tsunagu.get(1), mosquitto.get(1)),
                ratios,
                notes);
    }

    /** The cold storm, then (all disconnected) the resumed storm with the same clients; both measurements. */
    private static List<Measurement> storms(
            Target target, List<CarIdentity> cars, List<String> notes, Optional<ChildServer> server) {
        CarClients[] clients = new CarClients[1];
        Measurement cold = measure(target, "cold", cars.size(), notes, server, () -> {
            CarClients.Connected connected = CarClients.connect(cars, target, IN_FLIGHT);
            clients[0] = connected.clients();
            return connected;
        });
        clients[0].close();
        ChildServer.sleep(SETTLE_MS);
        Measurement resumed =
                measure(target, "resumed", cars.size(), notes, server, () -> clients[0].reconnect(IN_FLIGHT));
        clients[0].close();
        return List.of(cold, resumed);
    }

    private static Measurement measure(
            Target target,
            String storm,
            int cars,
            List<String> notes,
            Optional<ChildServer> server,
            Supplier<CarClients.Connected> connect) {
        String name = target.name() + " " + storm;
        long rssBefore = target.meter().rssBytes();
        long resumedBefore = server.map(GatewayMetrics::resumedHandshakes).orElse(0L);
        KernelTcpCounters kernelBefore = KernelTcpCounters.now();
        LOG.info("{}: storm of {} cars starts", name, cars); // times for a profile's window
        MeasuredInterval interval = MeasuredInterval.start(target.meter());
        CarClients.Connected connected = connect.get();
        MeasuredInterval.Snapshot snapshot = interval.stop();
        LOG.info("{}: storm ended after {} s", name, String.format("%.1f", snapshot.seconds()));
        KernelTcpCounters kernel = KernelTcpCounters.now().since(kernelBefore);
        if (connected.failed() > 0) {
            notes.add(name + ": " + connected.failed() + " connects failed, first: " + connected.firstError());
        }
        ChildServer.sleep(SETTLE_MS);
        long rssAfter = target.meter().rssBytes();
        long ok = cars - connected.failed();
        Map<String, Double> extras = new HashMap<>(Map.of(
                "allConnectedS",
                connected.seconds(),
                "rssDeltaKbPerCar",
                (rssAfter - rssBefore) / 1024.0 / Math.max(ok, 1),
                "rssAfterMb",
                rssAfter / 1024.0 / 1024.0,
                "listenOverflows",
                (double) kernel.listenOverflows(),
                "synCookies",
                (double) kernel.synCookies()));
        server.ifPresent(
                s -> extras.put("resumedHandshakes", (double) (GatewayMetrics.resumedHandshakes(s) - resumedBefore)));
        return Measurement.of(name, "connect", snapshot, ok, connected.failed(), 0, 0, connected.latencies(), extras);
    }
}
