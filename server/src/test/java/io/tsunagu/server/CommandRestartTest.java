package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandVerifier.Verification;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.CommandCar;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command queue, the fleet key and its counter survive a server restart. */
class CommandRestartTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aQueuedCommandIsDeliveredAfterARestartWhenTheCarConnects(@TempDir Path dir) throws Exception {
        Vin vin = TestVins.northAmerican("1TSURSTX", 1);
        try (TestServer server = TestServer.start(dir)) {
            ApiCalls admin = server.adminApi();
            JsonNode registration = admin.post(
                            "/api/v1/vehicles",
                            "{\"vin\": \"" + vin + "\", \"model\": \"Test EV\", \"owner\": \"alice\"}")
                    .body();
            String commands = "/api/v1/vehicles/" + vin + "/commands";
            JsonNode queued =
                    admin.post(commands, "{\"action\": \"doors.lock\"}").body();

            server.restart();

            assertThat(admin.get("/api/v1/command-keys/fleet").body())
                    .as("the same fleet key after the restart")
                    .isEqualTo(registration.path("commandKey"));
            assertThat(Files.getPosixFilePermissions(dir.resolve("keys/fleet-command-ed25519.key")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(admin.get(commands + "/" + queued.path("id").asText())
                            .body()
                            .path("state")
                            .asText())
                    .isEqualTo("queued");
            try (CommandCar car =
                    CommandCar.of(vin, registration, server.mqttPort()).connect()) {
                Verification verification = car.verify(car.next(WAIT).orElseThrow());
                assertThat(verification).isInstanceOf(Verification.Accepted.class);
                assertThat(((Verification.Accepted) verification).body().getCommandId())
                        .isEqualTo(queued.path("id").asText());

                JsonNode next =
                        admin.post(commands, "{\"action\": \"doors.unlock\"}").body();
                assertThat(next.path("keyCounter").asLong())
                        .as("the key counter keeps increasing across restarts")
                        .isGreaterThan(queued.path("keyCounter").asLong());
                assertThat(car.verify(car.next(WAIT).orElseThrow()))
                        .as("the car accepts the counter after the restart")
                        .isInstanceOf(Verification.Accepted.class);
            }
            await().atMost(WAIT)
                    .until(() -> admin.get(commands + "/" + queued.path("id").asText())
                            .body()
                            .path("state")
                            .asText()
                            .equals("sent"));
        }
    }
}
