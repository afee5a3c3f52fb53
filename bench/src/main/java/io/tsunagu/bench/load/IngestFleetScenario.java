package io.tsunagu.bench.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ingest-fleet}: many cars (default 5,000) over mutual TLS, each sending one QoS 1 message of 20 signals every
 * {@value #INTERVAL_MS} ms — a steady offered load of cars × 2 messages a second. The interesting figures are CPU-µs
 * per message, acknowledgement latency and loss (messages never acknowledged), not the rate, which the cars set.
 */
final class IngestFleetScenario implements Scenario {
    static final long INTERVAL_MS = 500;
    /** Handshakes at a time while the fleet comes online (the storm itself is {@code connect-storm}). */
    static final int CONNECTS_IN_FLIGHT = 100;

    private static final long DRAIN_MS = 15_000;
    /**
     * Not measured once the cars are connected, on either target: the first seconds at the full rate meet a cold JIT
     * on the ingest path and a new table, and whatever queues then takes a while to drain at a small headroom.
     */
    static final long WARMUP_MS = 20_000;
    /**
     * After {@link #WARMUP_MS}, the warm-up goes on until the target has caught up with its start-up backlog (see
     * {@link CatchUp}), at most this long in all; how long it took ({@code warmupS}), whether it caught up
     * ({@code caughtUp}) and what was still owed when measuring began ({@code outstandingAtStart}) are reported.
     */
    static final long MAX_WARMUP_MS = 80_000;

    @Override
    public String name() {
        return "ingest-fleet";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return smoke ? 50 : 5_000;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return smoke ? 3 : 20;
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        List<CarIdentity> cars = context.cars(settings.vehicles());
        CatchUp warmup = warmUp(settings, cars.size(), INTERVAL_MS);
        Measurement tsunagu = measure(context.tsunagu(), cars, settings, INTERVAL_MS, Optional.empty());
        Measurement mosquitto =
                measure(context.mosquittoTarget(), cars, settings, INTERVAL_MS, Optional.of(cars.getFirst()));
        Map<String, Object> used = Map.of(
                "cars",
                settings.vehicles(),
                "messageIntervalMs",
                INTERVAL_MS,
                "offeredMsgPerS",
                settings.vehicles() * 1_000.0 / INTERVAL_MS,
                "seconds",
                settings.durationS(),
                "generator",
                settings.generator().label());
        return new ScenarioResult(
                name(),
                used,
                List.of(tsunagu, mosquitto),
                ScenarioResult.ratios(tsunagu, mosquitto),
                List.of(
                        "unanswered = published but never acknowledged within " + DRAIN_MS / 1_000
                                + " s after the run (lost); the target is zero.",
                        "measured after a warm-up at the full rate once every car is connected, on both targets: at"
                                + " least " + WARMUP_MS / 1_000 + " s, then until the acknowledgements owed stay below"
                                + " 100 ms of traffic (caughtUp = 1), at most " + MAX_WARMUP_MS / 1_000
                                + " s (warmupS);"
                                + " outstandingAtStart = acknowledgements still owed when measuring began."));
    }

    /** Connects the cars to {@code target}, runs the fleet for the settings' duration and measures it. */
    static Measurement measure(
            Target target,
            List<CarIdentity> cars,
            ScenarioSettings settings,
            long intervalMs,
            Optional<CarIdentity> subscriberCar) {
        Optional<PassThroughSubscriber> subscriber = subscriberCar.map(car -> new PassThroughSubscriber(car, target));
        ProcessMeter generator = ProcessMeter.self();
        long cpuBefore = generator.cpuNanos();
        long rssBefore = generator.rssBytes();
        CarFleet fleet = CarFleet.connect(settings.generator(), cars, target, CONNECTS_IN_FLIGHT);
        // What connecting cost this process, per car: CPU, and resident memory (noisy: the heap grows in steps).
        double connectCpuMsPerCar = (generator.cpuNanos() - cpuBefore) / 1e6 / cars.size();
        double connectRssKbPerCar = (generator.rssBytes() - rssBefore) / 1024.0 / cars.size();
        try (FleetLoad load = new FleetLoad(fleet, intervalMs)) {
            AckTracker tracker = load.tracker();
            CatchUp.Outcome warmup = warmUp(settings, cars.size(), intervalMs).await(tracker::outstanding);
            long outstandingAtStart = tracker.outstanding();
            long ackedBefore = tracker.acked();
            tracker.recording(true);
            MeasuredInterval interval = MeasuredInterval.start(target.meter());
            ChildServer.sleep(settings.durationS() * 1_000L);
            MeasuredInterval.Snapshot snapshot = interval.stop();
            long acked = tracker.acked() - ackedBefore;
            tracker.recording(false);
            load.stop(DRAIN_MS);
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("connectFailures", (double) fleet.connectFailures());
            extras.put("connectAllS", fleet.connectSeconds());
            extras.put("warmupS", warmup.warmupMs() / 1_000.0);
            extras.put("caughtUp", warmup.caughtUp() ? 1.0 : 0.0);
            extras.put("outstandingAtStart", (double) outstandingAtStart);
            extras.put("genConnectCpuMsPerCar", connectCpuMsPerCar);
            extras.put("genConnectRssKbPerCar", connectRssKbPerCar);
            extras.put("published", (double) tracker.sent());
            subscriber.ifPresent(s -> extras.put("deliveredToSubscriber", (double) s.receivedWhenQuiet()));
            return tracker.measurement(target.name(), snapshot, acked, extras);
        } finally {
            subscriber.ifPresent(PassThroughSubscriber::close);
        }
    }

    /** The warm-up: the smoke mode's short one (plus at most 2 s to catch up), or the full one. */
    static CatchUp warmUp(ScenarioSettings settings, int cars, long intervalMs) {
        long minMs = Math.max(settings.smoke() ? settings.warmupMs() : WARMUP_MS, intervalMs * 2);
        long maxMs = settings.smoke() ? minMs + 2_000 : Math.max(MAX_WARMUP_MS, minMs);
        return new CatchUp(minMs, maxMs, CatchUp.thresholdFor(cars, intervalMs));
    }
}
