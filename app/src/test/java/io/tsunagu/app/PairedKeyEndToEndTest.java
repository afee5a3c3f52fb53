package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandSigner;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.sim.FleetConfig;
import io.tsunagu.sim.FleetSimulator;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user key's whole life against the real server and a real agent (a simulated car whose occupant confirms every
 * pairing and revocation): pairing takes the actuating actions away from the fleet key, the user's own signature
 * opens the doors, a revocation the car executed shows in {@code GET /keys} and gives the fleet key back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PairedKeyEndToEndTest {
    static final Duration WAIT = Duration.ofSeconds(30);
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

    @Test
    void aPairedKeyTakesTheDoorsFromTheFleetKeyUntilItIsRevoked() {
        KeyPair phone = CommandKeys.ed25519();
        CommandSigner phoneSigner = new CommandSigner("alice-phone", phone.getPrivate());
        try (FleetSimulator fleet = fleet()) {
            Vin vin = fleet.vins().getFirst();
            ApiCalls api = server.adminApi();
            await().atMost(WAIT).until(() -> online(vin));

            awaitExecuted(
                    vin,
                    post(
                            vin,
                            "{\"action\": \"keys.pair\", \"params\": {\"key_id\": \"alice-phone\","
                                    + " \"public_key\": \"" + CommandKeys.encode(phone.getPublic()) + "\"}}"));
            await().atMost(WAIT).until(() -> "paired".equals(keyState(vin)));

            ApiCalls.Response refused = api.post(commands(vin), "{\"action\": \"doors.lock\"}");
            assertThat(refused.status()).as(refused.text()).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("user_signature_required");

            ApiCalls.Response signed = api.post(commands(vin) + "/signed", envelope(phoneSigner, vin, "doors.lock"));
            assertThat(signed.status()).as(signed.text()).isEqualTo(202);
            awaitExecuted(vin, signed.body().path("id").asText());
            await().atMost(WAIT).until(() -> reportedLocked(vin));

            awaitExecuted(vin, post(vin, "{\"action\": \"keys.revoke\", \"params\": {\"key_id\": \"alice-phone\"}}"));
            await().atMost(WAIT).until(() -> "revoked".equals(keyState(vin)));

            awaitExecuted(vin, post(vin, "{\"action\": \"doors.unlock\"}"));
            await().atMost(WAIT).until(() -> !reportedLocked(vin));
        }
    }

    private FleetSimulator fleet() {
        FleetConfig config = FleetConfig.defaults(1, 11, dir.resolve("buffers"), System.currentTimeMillis())
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

    /** A command body as the user's phone builds and signs it, in the JSON POST .../commands/signed takes. */
    private static String envelope(CommandSigner signer, Vin vin, String action) {
        long now = System.currentTimeMillis();
        CommandBody body = CommandBody.newBuilder()
                .setVin(vin.value())
                .setCommandId(UUID.randomUUID().toString())
                .setAction(action)
                .setIssuedAtMs(now)
                .setExpiresAtMs(now + Duration.ofMinutes(5).toMillis())
                .setCounter(now)
                .build();
        return "{\"envelope\": \""
                + Base64.getEncoder().encodeToString(signer.sign(body).toByteArray()) + "\"}";
    }

    private String post(Vin vin, String json) {
        ApiCalls.Response response = server.adminApi().post(commands(vin), json);
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.body().path("id").asText();
    }

    private void awaitExecuted(Vin vin, String id) {
        await().atMost(WAIT)
                .alias("command " + id)
                .until(() -> server.adminApi().get(commands(vin) + "/" + id).body(), c -> {
                    assertThat(c.path("state").asText()).as(c.toString()).isNotIn("failed", "refused", "expired");
                    return c.path("state").asText().equals("executed");
                });
    }

    private String keyState(Vin vin) {
        JsonNode items = server.adminApi()
                .get("/api/v1/vehicles/" + vin + "/keys")
                .body()
                .path("items");
        return items.path(0).path("state").asText();
    }

    private boolean reportedLocked(Vin vin) {
        return server.adminApi()
                .get("/api/v1/vehicles/" + vin + "/twin")
                .body()
                .path("reported")
                .path(DRIVER_DOOR_LOCKED)
                .path("value")
                .asBoolean();
    }

    private boolean online(Vin vin) {
        return server.adminApi()
                .get("/api/v1/vehicles/" + vin + "/twin")
                .body()
                .path("online")
                .asBoolean();
    }

    private static String commands(Vin vin) {
        return "/api/v1/vehicles/" + vin + "/commands";
    }
}
