package io.tsunagu.bench.load;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * {@code twin-read}: {@value #READERS} concurrent HTTP clients read the twin of random cars
 * ({@code GET /api/v1/vehicles/{vin}/twin}, admin token) while the fleet ingests at half the {@code ingest-fleet}
 * rate (one message per car a second). Baseline: the same stack's near-static {@code GET /health} under the same
 * ingest load. The server's CPU per request includes the background ingest.
 */
final class TwinReadScenario implements Scenario {
    static final int READERS = 16;
    private static final long INGEST_INTERVAL_MS = 1_000;

    @Override
    public String name() {
        return "twin-read";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return smoke ? 50 : 5_000;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return smoke ? 2 : 10;
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        List<CarIdentity> cars = context.cars(settings.vehicles());
        CarClients.Connected connected =
                CarClients.connect(cars, context.tsunagu(), IngestFleetScenario.CONNECTS_IN_FLIGHT);
        Measurement twin;
        Measurement health;
        AckTracker ingest;
        try (FleetLoad load = new FleetLoad(connected.clients(), INGEST_INTERVAL_MS)) {
            ChildServer.sleep(Math.max(settings.warmupMs(), INGEST_INTERVAL_MS * 2)); // every car has a twin
            ingest = load.tracker();
            twin = read(context, settings, "tsunagu-twin", () -> twinPath(cars));
            health = read(context, settings, "tsunagu-health", () -> "/health");
            load.stop(10_000);
        }
        Map<String, Double> ratios = Map.of(
                "requestPerS", twin.opsPerS() / Math.max(health.opsPerS(), 1e-9),
                "p99", twin.p99Ms() / Math.max(health.p99Ms(), 1e-9));
        return new ScenarioResult(
                name(),
                Map.of(
                        "cars", settings.vehicles(),
                        "readers", READERS,
                        "backgroundIngestMsgPerS", settings.vehicles() * 1_000.0 / INGEST_INTERVAL_MS,
                        "backgroundIngestAcked", ingest.acked(),
                        "backgroundIngestUnanswered", ingest.outstanding(),
                        "seconds", settings.durationS()),
                List.of(twin, health),
                ratios,
                List.of("Baseline is GET /health (a small JSON answer from the same Helidon stack and routing; there"
                        + " is no fully static route). Server CPU per request includes the background ingest."));
    }

    private static String twinPath(List<CarIdentity> cars) {
        return "/api/v1/vehicles/"
                + cars.get(ThreadLocalRandom.current().nextInt(cars.size())).vin() + "/twin";
    }

    private static Measurement read(
            BenchContext context, ScenarioSettings settings, String target, Supplier<String> paths) {
        ChildServer server = context.server();
        Latencies latencies = new Latencies();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long deadline =
                System.nanoTime() + Duration.ofSeconds(settings.durationS()).toNanos();
        MeasuredInterval interval = MeasuredInterval.start(server.meter());
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Runnable> loops = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                loops.add(() -> {
                    while (System.nanoTime() < deadline) {
                        readOnce(server, paths.get(), latencies, ok, failed);
                    }
                });
            }
            loops.forEach(readers::submit);
        }
        MeasuredInterval.Snapshot snapshot = interval.stop();
        return Measurement.of(
                target, "request", snapshot, ok.sum(), failed.sum(), 0, 0, latencies, new LinkedHashMap<>());
    }

    private static void readOnce(ChildServer server, String path, Latencies latencies, LongAdder ok, LongAdder failed) {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + server.adminToken())
                .build();
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = server.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                latencies.record(System.nanoTime() - started);
                ok.increment();
            } else {
                failed.increment();
            }
        } catch (java.io.IOException e) {
            failed.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.increment();
        }
    }
}
