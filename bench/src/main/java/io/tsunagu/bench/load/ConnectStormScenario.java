package io.tsunagu.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code connect-storm}: every car (default 10,000, as issue 3 asks) connects with its client certificate as fast as the target
 * completes handshakes, as after a server restart. Reports handshakes per second, the time until all are connected and
 * the server's resident memory per connected idle car (VmRSS delta / cars; for a JVM this includes heap the collector
 * has not given back, so it is an upper bound).
 *
 * <p>At most {@value #IN_FLIGHT} connects are outstanding per target (each CONNACK or failure starts the next car):
 * Mosquitto 2.0 listens with a fixed backlog of 100, so thousands of SYNs at once overflow its accept queue and the
 * storm then measures the kernel's SYN retransmissions (1 s, 3 s, 7 s...) and the resets of connections whose final
 * ACK was dropped. With this bound both targets always have a queue of handshakes to work on and neither listen queue
 * can overflow; the kernel's overflow counters are printed per target to show it.
 */
final class ConnectStormScenario implements Scenario {
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
        List<String> notes = new ArrayList<>(List.of(
                "connect/s = handshakes per second over the storm; latency = TCP connect to CONNACK per car; at most "
                        + IN_FLIGHT + " connects outstanding per target (Mosquitto's listen backlog).",
                "Tsunagu also checks CN = client id and the registry's revocation state; Mosquitto only the"
                        + " CA signature (no CRL configured)."));
        Measurement tsunagu = measure(context.tsunagu(), cars, notes);
        Measurement mosquitto = measure(context.mosquittoTarget(), cars, notes);
        return new ScenarioResult(
                name(),
                Map.of("cars", settings.vehicles()),
                List.of(tsunagu, mosquitto),
                ScenarioResult.ratios(tsunagu, mosquitto),
                notes);
    }

    private static Measurement measure(Target target, List<CarIdentity> cars, List<String> notes) {
        long rssBefore = target.meter().rssBytes();
        KernelTcpCounters kernelBefore = KernelTcpCounters.now();
        MeasuredInterval interval = MeasuredInterval.start(target.meter());
        CarClients.Connected connected = CarClients.connect(cars, target, IN_FLIGHT);
        MeasuredInterval.Snapshot snapshot = interval.stop();
        KernelTcpCounters kernel = KernelTcpCounters.now().since(kernelBefore);
        if (connected.failed() > 0) {
            notes.add(target.name() + ": " + connected.failed() + " connects failed, first: " + connected.firstError());
        }
        try (CarClients clients = connected.clients()) {
            ChildServer.sleep(SETTLE_MS);
            long rssAfter = target.meter().rssBytes();
            long ok = cars.size() - connected.failed();
            return Measurement.of(
                    target.name(),
                    "connect",
                    snapshot,
                    ok,
                    connected.failed(),
                    0,
                    0,
                    connected.latencies(),
                    Map.of(
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
        }
    }
}
