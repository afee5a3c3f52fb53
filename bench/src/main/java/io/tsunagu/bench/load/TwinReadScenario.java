package io.tsunagu.bench.load;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code twin-read}: {@value #READERS} keep-alive HTTP/1.1 connections, each with {@link #DEPTH} pipelined requests in
 * flight (closed loop, Netty's codec: {@link HttpLoop}), read the twin of random cars ({@code GET
 * /api/v1/vehicles/{vin}/twin}, admin token) while the fleet ingests
 * at a share of the {@code ingest-fleet} rate: by default half (one message per car a second); {@code --ingest-share
 * 0} stops the cars after the warm-up, so the reads are measured alone. Baseline: the same stack's near-static
 * {@code GET /health} under the same load. The server's CPU per request includes the background ingest, and so does
 * the generator's (the cars run in the generator). Twin and {@code /health} are measured in alternating slices, so JIT
 * still running or a change of load on the shared machine favours neither.
 *
 * <p>{@code -Dtsunagu.bench.twinDepth=N} in {@code TSUNAGU_JAVA_OPTS} sets the requests in flight per connection (1:
 * no pipelining, the shape of the figures before 2026-12-01's third session).
 */
final class TwinReadScenario implements Scenario {
    static final int READERS = 16;
    /** Requests in flight per reader connection (HTTP/1.1 pipelining above 1): 64 in flight in all. */
    static final int DEPTH = Integer.getInteger("tsunagu.bench.twinDepth", 4);

    /** Turns of twin and {@code /health} reads: each is measured in this many slices, alternating. */
    private static final int SLICES = 4;

    private static final HttpLoop.Shape SHAPE = new HttpLoop.Shape(READERS, DEPTH);
    private static final double DEFAULT_INGEST_SHARE = 0.5;
    /** HTTP warm-up before each measured target: the JIT compiles the request path of both sides meanwhile. */
    private static final long HTTP_WARMUP_MS = 10_000;

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
        double share = settings.ingestShare().orElse(DEFAULT_INGEST_SHARE);
        // A car publishes every interval; with share 0 once a second during the warm-up only, so every car has a twin.
        long intervalMs = share > 0 ? Math.round(IngestFleetScenario.INTERVAL_MS / share) : 1_000;
        CarFleet fleet =
                CarFleet.connect(settings.generator(), cars, context.tsunagu(), IngestFleetScenario.CONNECTS_IN_FLIGHT);
        Measurement twin;
        Measurement health;
        AckTracker ingest;
        try (FleetLoad load = new FleetLoad(fleet, intervalMs)) {
            ChildServer.sleep(Math.max(settings.warmupMs(), intervalMs * 2)); // every car has a twin
            ingest = load.tracker();
            if (share == 0) {
                load.stop(10_000);
            }
            ChildServer server = context.server();
            String authorization = "Bearer " + server.adminToken();
            Supplier<HttpLoop.Get> twinReads = () -> new HttpLoop.Get(twinPath(cars), authorization);
            Supplier<HttpLoop.Get> healthReads = () -> new HttpLoop.Get("/health", "");
            // Both routes warm up before either is measured, so the JIT is done with the code they share.
            long warmupMs = settings.smoke() ? settings.warmupMs() : HTTP_WARMUP_MS;
            HttpLoop.warmUp(server, SHAPE, warmupMs, twinReads);
            HttpLoop.warmUp(server, SHAPE, warmupMs / 2, healthReads);
            List<Measurement> both = HttpLoop.alternate(
                    server,
                    SHAPE,
                    settings.durationS(),
                    settings.smoke() ? 1 : SLICES,
                    200,
                    List.of(
                            new HttpLoop.Target("tsunagu-twin", twinReads),
                            new HttpLoop.Target("tsunagu-health", healthReads)));
            twin = both.get(0);
            health = both.get(1);
            load.stop(10_000);
        }
        return result(settings, share, intervalMs, ingest, twin, health);
    }

    private ScenarioResult result(
            ScenarioSettings settings,
            double share,
            long intervalMs,
            AckTracker ingest,
            Measurement twin,
            Measurement health) {
        Map<String, Double> ratios = Map.of(
                "requestPerS", twin.opsPerS() / Math.max(health.opsPerS(), 1e-9),
                "p99", twin.p99Ms() / Math.max(health.p99Ms(), 1e-9));
        return new ScenarioResult(
                name(),
                Map.of(
                        "cars",
                        settings.vehicles(),
                        "readers",
                        READERS,
                        "depth",
                        DEPTH,
                        "ingestShare",
                        share,
                        "backgroundIngestMsgPerS",
                        share > 0 ? settings.vehicles() * 1_000.0 / intervalMs : 0.0,
                        "backgroundIngestAcked",
                        ingest.acked(),
                        "backgroundIngestUnanswered",
                        ingest.outstanding(),
                        "seconds",
                        settings.durationS(),
                        "generator",
                        settings.generator().label()),
                List.of(twin, health),
                ratios,
                List.of("Baseline is GET /health (constant bytes from the same Helidon stack and routing)."
                        + " Server and generator CPU per request include the background"
                        + " ingest (the cars run in the generator); --ingest-share 0 measures the reads alone. "
                        + READERS + " connections x " + DEPTH + " pipelined requests in flight; twin and /health"
                        + " measured in " + SLICES + " alternating slices each."));
    }

    private static String twinPath(List<CarIdentity> cars) {
        return "/api/v1/vehicles/"
                + cars.get(ThreadLocalRandom.current().nextInt(cars.size())).vin() + "/twin";
    }
}
