package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.sim.FleetConfig;
import io.tsunagu.sim.FleetSimulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote commands from the REST API to simulated cars and back: signed by the server's fleet key, verified and executed
 * by the agent against the EV model, and the result visible in the command's state and in the twin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandEndToEndTest {
    static final String DRIVER_DOOR_LOCKED = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked";

    TestServer server;
    Path dir;

    @BeforeAll
    void start(@TempDir Path tmp) {
        dir = tmp;
        server = TestServer.start(tmp.resolve("data"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private FleetSimulator fleet(int cars) {
        FleetConfig config = FleetConfig.defaults(cars, 7, dir.resolve("buffers"), System.currentTimeMillis())
                .withBroker("localhost", server.mqttPort());
        FleetSimulator fleet = new FleetSimulator(
                config,
                new LocalProvisioner(
                        server.server().registry(),
                        server.server().provisioning(),
                        server.server().commandKey()));
        fleet.start();
        return fleet;
    }

    @Test
    void aLockCommandIsExecutedByTheCarAndTheTwinCatchesUp() {
        try (FleetSimulator fleet = fleet(2)) {
            Vin vin = fleet.vins().getFirst();
            ApiCalls api = server.adminApi();
            await().atMost(Duration.ofSeconds(30)).until(() -> online(vin));

            JsonNode created = api.post("/api/v1/vehicles/" + vin + "/commands", "{\"action\": \"doors.lock\"}")
                    .body();
            String id = created.path("id").asText();

            await().atMost(Duration.ofSeconds(30)).until(() -> "executed".equals(state(vin, id)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode twin = api.get("/api/v1/vehicles/" + vin + "/twin").body();
                assertThat(twin.path("reported")
                                .path(DRIVER_DOOR_LOCKED)
                                .path("value")
                                .asBoolean())
                        .isTrue();
                assertThat(twin.path("delta").has(DRIVER_DOOR_LOCKED))
                        .as("delta closes once reported")
                        .isFalse();
            });
        }
    }

    @Test
    void aCommandForASleepingCarIsQueuedAndExecutedWhenItWakesUp() {
        Vin vin;
        try (FleetSimulator fleet = fleet(1)) {
            vin = fleet.vins().getFirst();
            await().atMost(Duration.ofSeconds(30)).until(() -> online(vin));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !online(vin));
        JsonNode created = server.adminApi()
                .post(
                        "/api/v1/vehicles/" + vin + "/commands",
                        "{\"action\": \"climate.start\", \"params\": {\"temperature_c\": 21.5}}")
                .body();
        String id = created.path("id").asText();
        assertThat(state(vin, id)).isEqualTo("queued");

        try (FleetSimulator awake = fleet(1)) {
            await().atMost(Duration.ofSeconds(40))
                    .alias("command " + id + " executed after the car woke up")
                    .untilAsserted(() -> assertThat(server.adminApi()
                                    .get("/api/v1/vehicles/" + vin + "/commands/" + id)
                                    .body()
                                    .toString())
                            .contains("\"state\":\"executed\""));
        }
    }

    @Test
    void theCommandLineSendsAndShowsACommand() {
        try (FleetSimulator fleet = fleet(1)) {
            Vin vin = fleet.vins().getFirst();
            java.io.StringWriter out = new java.io.StringWriter();
            picocli.CommandLine cli = Main.commandLine();
            cli.setOut(new java.io.PrintWriter(out, true));
            String[] connection = {"--url", "http://127.0.0.1:" + server.httpPort(), "--token", server.adminToken()};

            int code = cli.execute(concat(
                    new String[] {"commands", "send", vin.value(), "charging.set_limit", "-p", "limit_percent=85"},
                    connection));

            assertThat(code).isZero();
            String id = out.toString().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
            await().atMost(Duration.ofSeconds(30)).until(() -> "executed".equals(state(vin, id)));
            out.getBuffer().setLength(0);
            assertThat(cli.execute(concat(new String[] {"commands", "list", vin.value()}, connection)))
                    .isZero();
            assertThat(out.toString())
                    .contains(id)
                    .contains("charging.set_limit")
                    .contains("executed");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private boolean online(Vin vin) {
        return server.adminApi()
                .get("/api/v1/vehicles/" + vin + "/twin")
                .body()
                .path("online")
                .asBoolean();
    }

    private String state(Vin vin, String id) {
        return server.adminApi()
                .get("/api/v1/vehicles/" + vin + "/commands/" + id)
                .body()
                .path("state")
                .asText();
    }
}
