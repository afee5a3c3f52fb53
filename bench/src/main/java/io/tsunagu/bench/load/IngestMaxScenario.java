package io.tsunagu.bench.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ingest-max}: a few connections (default 4) publish QoS 1 telemetry of 20 signals as fast as the broker
 * acknowledges, each keeping {@value #IN_FLIGHT} messages in flight (the client queues what exceeds the broker's
 * receive maximum). Tsunagu acknowledges after its durable group commit; Mosquitto from memory, with a subscriber
 * consuming every message. Latency at this saturation includes the client-side queue, so it is an upper bound.
 */
final class IngestMaxScenario implements Scenario {
    static final int IN_FLIGHT = 100;

    @Override
    public String name() {
        return "ingest-max";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return 4;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return smoke ? 2 : 20;
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        List<CarIdentity> cars = context.cars(settings.vehicles());
        Measurement tsunagu = measure(context.tsunagu(), cars, settings, Optional.empty());
        Measurement mosquitto = measure(context.mosquittoTarget(), cars, settings, Optional.of(cars.getFirst()));
        Map<String, Object> used = Map.of(
                "connections",
                settings.vehicles(),
                "inFlightPerConnection",
                IN_FLIGHT,
                "seconds",
                settings.durationS());
        return new ScenarioResult(
                name(),
                used,
                List.of(tsunagu, mosquitto),
                ScenarioResult.ratios(tsunagu, mosquitto),
                List.of(
                        "Tsunagu's gateway keeps up to its Receive Maximum (1,024) publishes of a connection in"
                                + " the pipeline and acknowledges them in order once their group commit is durable,"
                                + " so one connection carries many messages per commit.",
                        "Mosquitto acknowledges QoS 1 from memory (persistence off); Tsunagu only after fsync."));
    }

    private static Measurement measure(
            Target target, List<CarIdentity> cars, ScenarioSettings settings, Optional<CarIdentity> subscriberCar) {
        Optional<PassThroughSubscriber> subscriber = subscriberCar.map(car -> new PassThroughSubscriber(car, target));
        CarClients.Connected connected = CarClients.connectAll(cars, target);
        try (CarClients clients = connected.clients()) {
            AckTracker tracker = new AckTracker();
            Flood flood = new Flood(clients, tracker);
            for (int car = 0; car < clients.size(); car++) {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    flood.next(car);
                }
            }
            ChildServer.sleep(settings.warmupMs());
            long ackedBefore = tracker.acked();
            tracker.recording(true);
            MeasuredInterval interval = MeasuredInterval.start(target.meter());
            ChildServer.sleep(settings.durationS() * 1_000L);
            MeasuredInterval.Snapshot snapshot = interval.stop();
            long acked = tracker.acked() - ackedBefore;
            tracker.recording(false);
            flood.stop();
            tracker.drain(30_000);
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("connectFailures", (double) connected.failed());
            subscriber.ifPresent(s -> extras.put("deliveredToSubscriber", (double) s.receivedWhenQuiet()));
            return Measurement.of(
                    target.name(),
                    "msg",
                    snapshot,
                    acked,
                    tracker.failed(),
                    tracker.outstanding(),
                    BenchPayload.SIGNALS,
                    tracker.latencies(),
                    extras);
        } finally {
            subscriber.ifPresent(PassThroughSubscriber::close);
        }
    }

    /** Keeps a fixed number of publishes in flight per connection: each PUBACK sends the next message. */
    private static final class Flood {
        private final CarClients clients;
        private final AckTracker tracker;
        private volatile boolean running = true;

        Flood(CarClients clients, AckTracker tracker) {
            this.clients = clients;
            this.tracker = tracker;
        }

        void next(int car) {
            if (!running || !clients.connected(car)) {
                return;
            }
            tracker.track(clients.publish(car)).whenComplete((result, error) -> next(car));
        }

        void stop() {
            running = false;
        }
    }
}
