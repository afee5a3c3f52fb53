package io.tsunagu.bench.load;

import java.util.List;
import java.util.Map;

/**
 * {@code ddi-download}: {@value #CLIENTS} hawkBit DDI clients download the same {@value #IMAGE_MIB} MiB image at once,
 * again and again, through the DDI artifact link ({@code .../softwaremodules/{id}/artifacts/{file}}, gateway token),
 * over plain HTTP on loopback. Baseline: the same bytes from the artifact API ({@code GET
 * /api/v1/artifacts/{sha256}/content}, admin token), which streams through the same {@code ArtifactDownload}; the
 * difference is the DDI authentication and entitlement check per request.
 */
final class DdiDownloadScenario implements Scenario {
    static final int CLIENTS = 8;
    static final int IMAGE_MIB = 16;

    @Override
    public String name() {
        return "ddi-download";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return CLIENTS;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return smoke ? 2 : 10;
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        ChildServer server = context.server();
        List<CarIdentity> cars = context.cars(settings.vehicles());
        int imageBytes = (settings.smoke() ? 1 : IMAGE_MIB) * 1024 * 1024;
        DdiRollout rollout = DdiRollout.prepare(server, cars, imageBytes, "ddi-download");
        ChildServer.sleep(settings.warmupMs());
        Measurement ddi = HttpLoop.run(
                server,
                "tsunagu-ddi-download",
                HttpLoop.Shape.of(CLIENTS),
                settings.warmupMs(),
                settings.durationS(),
                200,
                () -> new HttpLoop.Get(rollout.downloadPath, "GatewayToken " + rollout.gatewayToken));
        Measurement plain = HttpLoop.run(
                server,
                "tsunagu-artifact-download",
                HttpLoop.Shape.of(CLIENTS),
                settings.warmupMs(),
                settings.durationS(),
                200,
                () -> new HttpLoop.Get(
                        "/api/v1/artifacts/" + rollout.sha256 + "/content", "Bearer " + server.adminToken()));
        rollout.finish(server, cars);
        return new ScenarioResult(
                name(),
                Map.of(
                        "clients", CLIENTS,
                        "imageBytes", imageBytes,
                        "seconds", settings.durationS()),
                List.of(ddi, plain),
                Map.of(
                        "MiBPerS",
                        ddi.extras().get("MiBPerS") / Math.max(plain.extras().get("MiBPerS"), 1e-9)),
                List.of("Loopback HTTP on the 2-core machine, client and server sharing the cores; throughput is the"
                        + " body bytes received by all clients together."));
    }
}
