package io.tsunagu.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code connect-storm}: every car (default 5,000) connects at the same moment with its client certificate, as after
 * a server restart. Reports handshakes per second, the time until all are connected and the server's resident memory
 * per connected idle car (VmRSS delta / cars; for a JVM this includes heap the collector has not given back, so it
 * is an upper bound).
 */
final class ConnectStormScenario implements Scenario {
    private static final long SETTLE_MS = 1_000;

    @Override
    public String name() {
        return "connect-storm";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return smoke ? 50 : 5_000;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return 0; // runs until every car is connected
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        List<CarIdentity> cars = context.cars(settings.vehicles());
        List<String> notes = new ArrayList<>(List.of(
                "connect/s = handshakes per second over the storm; latency = CONNECT to CONNACK per car.",
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
        MeasuredInterval interval = MeasuredInterval.start(target.meter());
        CarClients.Connected connected = CarClients.connectAll(cars, target);
        MeasuredInterval.Snapshot snapshot = interval.stop();
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
                            "allConnectedS", connected.seconds(),
                            "rssDeltaKbPerCar", (rssAfter - rssBefore) / 1024.0 / Math.max(ok, 1),
                            "rssAfterMb", rssAfter / 1024.0 / 1024.0));
        }
    }
}
