package io.tsunagu.bench.load;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code ddi-poll}: {@value #CLIENTS} concurrent hawkBit DDI clients poll random cars ({@code GET
 * /DEFAULT/controller/v1/{vin}}, gateway token) that each have an offered update, so every poll authenticates,
 * reads the car's open action and installed base, and renders the links. Baseline: {@code GET /health} on the same
 * server, same clients.
 */
final class DdiPollScenario implements Scenario {
    static final int CLIENTS = 16;

    @Override
    public String name() {
        return "ddi-poll";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return smoke ? 20 : 1_000;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return smoke ? 2 : 10;
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        ChildServer server = context.server();
        List<CarIdentity> cars = context.cars(settings.vehicles());
        DdiRollout rollout = DdiRollout.prepare(server, cars, 64 * 1024, "ddi-poll");
        ChildServer.sleep(settings.warmupMs());
        long warmupMs = settings.warmupMs();
        Measurement polls = HttpLoop.run(
                server, "tsunagu-ddi-poll", HttpLoop.Shape.of(CLIENTS), warmupMs, settings.durationS(), 200, () -> {
                    CarIdentity car = cars.get(ThreadLocalRandom.current().nextInt(cars.size()));
                    return new HttpLoop.Get(DdiRollout.controllerPath(car), "GatewayToken " + rollout.gatewayToken);
                });
        Measurement health = HttpLoop.run(
                server,
                "tsunagu-health",
                HttpLoop.Shape.of(CLIENTS),
                warmupMs,
                settings.durationS(),
                200,
                () -> new HttpLoop.Get("/health", ""));
        rollout.finish(server, cars);
        return new ScenarioResult(
                name(),
                Map.of("cars", cars.size(), "clients", CLIENTS, "seconds", settings.durationS()),
                List.of(polls, health),
                Map.of(
                        "requestPerS", polls.opsPerS() / Math.max(health.opsPerS(), 1e-9),
                        "p99", polls.p99Ms() / Math.max(health.p99Ms(), 1e-9)),
                List.of("Every car has an offered action, so a poll answers with a deploymentBase link (the busy case)."
                        + " Baseline GET /health is a small JSON answer from the same Helidon stack."));
    }
}
