package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandVerifier.Verification;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandResult.Status;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.CommandCar;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote commands over real TLS and HTTP: signed envelopes a car verifies with the fleet key from its registration,
 * queued delivery in order when the car connects, expiry, results driving states, cancel, idempotent retries and
 * validation. Each test uses its own car.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandDeliveryTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    TestServer server;
    ApiCalls operator;
    ApiCalls alice;
    final AtomicInteger serial = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.start(dir);
        operator = server.api(createUser("ops", "operator"));
        alice = server.api(createUser("alice", "owner"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void commandToAnOnlineCarArrivesSignedWithMessageExpiry() {
        Vin vin = nextVin();
        try (CommandCar car = register(vin).connect()) {
            ApiCalls.Response created =
                    command(alice, vin, "{\"action\": \"climate.start\", \"params\": {\"temperature_c\": 21.50}}");

            assertThat(created.status()).as(created.text()).isEqualTo(202);
            assertThat(created.body().path("state").asText()).isEqualTo("queued");
            assertThat(created.body().path("params").path("temperature_c").asText())
                    .isEqualTo("21.5");
            Mqtt5Publish publish = car.next(WAIT).orElseThrow();
            assertThat(publish.getMessageExpiryInterval().orElseThrow()).isBetween(1L, 300L);
            Verification verification = car.verify(publish);
            assertThat(verification).isInstanceOf(Verification.Accepted.class);
            CommandBody body = ((Verification.Accepted) verification).body();
            assertThat(body.getCommandId()).isEqualTo(created.body().path("id").asText());
            assertThat(body.getVin()).isEqualTo(vin.value());
            assertThat(body.getAction()).isEqualTo("climate.start");
            assertThat(body.getParamsMap()).containsEntry("temperature_c", "21.5");
            assertThat(body.getCounter())
                    .isEqualTo(created.body().path("keyCounter").asLong());
            awaitState(vin, body.getCommandId(), "sent");
        }
    }

    @Test
    void commandsForAnOfflineCarAreQueuedAndDeliveredInOrderWhenItConnects() {
        Vin vin = nextVin();
        try (CommandCar car = register(vin)) {
            List<String> ids = new ArrayList<>();
            for (String action : List.of("doors.unlock", "horn_lights.flash", "doors.lock")) {
                ApiCalls.Response created = command(operator, vin, "{\"action\": \"" + action + "\"}");
                assertThat(created.status()).isEqualTo(202);
                ids.add(created.body().path("id").asText());
            }
            assertThat(get(vin, ids.getFirst()).path("state").asText()).isEqualTo("queued");

            car.connect();
            List<String> received = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                Verification verification = car.verify(car.next(WAIT).orElseThrow());
                assertThat(verification).as("envelope %d", i).isInstanceOf(Verification.Accepted.class);
                received.add(((Verification.Accepted) verification).body().getCommandId());
            }

            assertThat(received).containsExactlyElementsOf(ids);
            ids.forEach(id -> awaitState(vin, id, "sent"));
        }
    }

    @Test
    void aCommandThatExpiresWhileTheCarIsOfflineIsNeverDelivered() {
        Vin vin = nextVin();
        try (CommandCar car = register(vin)) {
            String shortLived = command(
                            operator,
                            vin,
                            "{\"action\": \"doors.lock\", \"expiresAt\": \""
                                    + Instant.now().plusMillis(1500) + "\"}")
                    .body()
                    .path("id")
                    .asText();
            awaitState(vin, shortLived, "expired");

            car.connect();
            String fresh = command(operator, vin, "{\"action\": \"refresh\"}")
                    .body()
                    .path("id")
                    .asText();

            Verification first = car.verify(car.next(WAIT).orElseThrow());
            assertThat(((Verification.Accepted) first).body().getCommandId()).isEqualTo(fresh);
            assertThat(get(vin, shortLived).path("reason").asText()).isEqualTo("expired");
        }
    }

    @Test
    void resultsDriveTheStatesAndLateResultsNeverMoveAFinalState() {
        Vin vin = nextVin();
        try (CommandCar car = register(vin).connect()) {
            String ok = command(alice, vin, "{\"action\": \"doors.lock\"}")
                    .body()
                    .path("id")
                    .asText();
            String failing = command(alice, vin, "{\"action\": \"charging.start\"}")
                    .body()
                    .path("id")
                    .asText();
            String refused = command(alice, vin, "{\"action\": \"wake\"}")
                    .body()
                    .path("id")
                    .asText();
            for (int i = 0; i < 3; i++) {
                car.next(WAIT).orElseThrow();
            }

            assertThat(car.report(ok, Status.DELIVERED, "").success()).isTrue();
            awaitState(vin, ok, "delivered");
            assertThat(car.report(ok, Status.EXECUTED, "").success()).isTrue();
            assertThat(car.report(failing, Status.FAILED, "not_plugged_in").success())
                    .isTrue();
            assertThat(car.report(refused, Status.REFUSED, "bad_signature").success())
                    .isTrue();
            assertThat(car.report(ok, Status.DELIVERED, "").success())
                    .as("late")
                    .isTrue();
            assertThat(car.report("no-such-command", Status.EXECUTED, "").success())
                    .isTrue();

            JsonNode executed = awaitState(vin, ok, "executed");
            assertThat(executed.has("deliveredAt")).isTrue();
            assertThat(executed.has("finishedAt")).isTrue();
            JsonNode failed = awaitState(vin, failing, "failed");
            assertThat(failed.path("reason").asText()).isEqualTo("not_plugged_in");
            assertThat(awaitState(vin, refused, "refused").path("reason").asText())
                    .isEqualTo("bad_signature");
            assertThat(server.server().metrics().value("tsunagu_command_results_unknown_total"))
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void cancellingAQueuedCommandWorksAndADeliveredOneIsAConflict() {
        Vin vin = nextVin();
        try (CommandCar car = register(vin)) {
            String queued = command(alice, vin, "{\"action\": \"doors.unlock\"}")
                    .body()
                    .path("id")
                    .asText();
            ApiCalls.Response cancelled = alice.post(commands(vin) + "/" + queued + "/cancel", "");

            assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
            assertThat(cancelled.body().path("state").asText()).isEqualTo("cancelled");

            car.connect();
            String next = command(alice, vin, "{\"action\": \"doors.lock\"}")
                    .body()
                    .path("id")
                    .asText();
            Verification first = car.verify(car.next(WAIT).orElseThrow());
            assertThat(((Verification.Accepted) first).body().getCommandId())
                    .as("the cancelled command is not delivered")
                    .isEqualTo(next);
            car.report(next, Status.DELIVERED, "");
            awaitState(vin, next, "delivered");

            ApiCalls.Response conflict = alice.post(commands(vin) + "/" + next + "/cancel", "");
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.code()).isEqualTo("command_not_cancellable");
            assertThat(alice.post(commands(vin) + "/" + queued + "/cancel", "").status())
                    .isEqualTo(409);
        }
    }

    @Test
    void anIdempotencyKeyMakesRetriesReturnTheSameCommand() {
        Vin vin = nextVin();
        register(vin).close();
        String body = "{\"action\": \"charging.set_limit\", \"params\": {\"limit_percent\": 80}}";

        ApiCalls.Response first = alice.post(commands(vin), body, "Idempotency-Key", "k-1");
        ApiCalls.Response retry = alice.post(commands(vin), body, "Idempotency-Key", "k-1");
        ApiCalls.Response other = alice.post(commands(vin), body.replace("80", "90"), "Idempotency-Key", "k-1");
        ApiCalls.Response otherCaller = operator.post(commands(vin), body, "Idempotency-Key", "k-1");

        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().path("id").asText())
                .isEqualTo(first.body().path("id").asText());
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
        assertThat(otherCaller.status()).isEqualTo(202);
        assertThat(otherCaller.body().path("id").asText())
                .isNotEqualTo(first.body().path("id").asText());
        assertThat(alice.get(commands(vin)).body().path("count").asInt()).isEqualTo(2);
    }

    @Test
    void invalidRequestsAreRejectedWithAReason() {
        Vin vin = nextVin();
        register(vin).close();

        assertError(command(alice, vin, "{\"action\": \"doors.explode\"}"), "unknown_action");
        assertError(
                command(alice, vin, "{\"action\": \"climate.start\", \"params\": {\"temperature_c\": 40}}"),
                "invalid_param");
        assertError(command(alice, vin, "{\"action\": \"climate.start\"}"), "invalid_param");
        assertError(
                command(alice, vin, "{\"action\": \"doors.lock\", \"params\": {\"force\": true}}"), "invalid_param");
        assertError(
                command(alice, vin, "{\"action\": \"charging.set_limit\", \"params\": {\"limit_percent\": 80.5}}"),
                "invalid_param");
        assertError(command(alice, vin, "{\"action\": \"doors.lock\", \"expiresAt\": 1000}"), "invalid_expiry");
        assertError(command(alice, vin, "{\"action\": \"doors.lock\", \"expiresAt\": \"tomorrow\"}"), "invalid_expiry");
        assertError(
                command(
                        alice,
                        vin,
                        "{\"action\": \"keys.pair\", \"params\": {\"key_id\": \"phone\", \"public_key\": \"AAAA\"}}"),
                "invalid_param");
        assertError(command(alice, vin, "{\"verb\": \"doors.lock\"}"), "invalid_body");
        assertThat(alice.get(commands(vin)).body().path("count").asInt()).isZero();
    }

    @Test
    void ownersCommandOnlyTheirOwnCarsAndOperatorsAnyCar() {
        Vin alicesCar = nextVin();
        Vin bobsCar = nextVin();
        register(alicesCar).close();
        register(bobsCar, "bob").close();
        ApiCalls bob = server.api(createUser("bob", "owner"));
        String lock = "{\"action\": \"doors.lock\"}";

        assertThat(command(alice, alicesCar, lock).status()).isEqualTo(202);
        assertThat(command(bob, alicesCar, lock).status()).isEqualTo(404);
        assertThat(bob.get(commands(alicesCar)).status()).isEqualTo(404);
        assertThat(command(operator, bobsCar, lock).status()).isEqualTo(202);
        assertThat(command(alice, bobsCar, lock).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/audit").status()).isEqualTo(403);
        JsonNode audit = operator.get("/api/v1/audit?vin=" + alicesCar).body();
        assertThat(audit.path("items").get(0).path("principal").asText()).isEqualTo("alice");
        assertThat(audit.path("items").get(0).path("outcome").asText()).isEqualTo("queued");
    }

    @Test
    void doorsLockSetsTheTwinsDesiredValueAndDelta() {
        Vin vin = nextVin();
        register(vin).close();

        command(alice, vin, "{\"action\": \"doors.lock\"}");

        JsonNode twin = alice.get("/api/v1/vehicles/" + vin + "/twin").body();
        String path = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked";
        assertThat(twin.path("desired").path(path).path("value").asBoolean()).isTrue();
        assertThat(twin.path("delta").has(path)).as(twin.toString()).isTrue();
    }

    @Test
    void theLiveStreamEmitsEachStateChange() throws Exception {
        Vin vin = nextVin();
        try (CommandCar car = register(vin).connect();
                ApiCalls.EventStream stream = alice.stream(commands(vin) + "/stream")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            String id = command(alice, vin, "{\"action\": \"doors.lock\"}")
                    .body()
                    .path("id")
                    .asText();
            car.next(WAIT).orElseThrow();
            car.report(id, Status.EXECUTED, "");

            List<String> states = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(stream.nextEvent("command").orElseThrow());
                assertThat(event.path("id").asText()).isEqualTo(id);
                states.add(event.path("state").asText());
                return states.contains("executed");
            });
            assertThat(states).containsSubsequence("queued", "sent", "executed");
        }
    }

    private void assertError(ApiCalls.Response response, String code) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.code()).as(response.text()).isEqualTo(code);
        assertThat(response.body().path("message").asText()).isNotBlank();
    }

    private JsonNode awaitState(Vin vin, String id, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            last[0] = get(vin, id);
            return last[0].path("state").asText().equals(state);
        });
        return last[0];
    }

    private JsonNode get(Vin vin, String id) {
        return operator.get(commands(vin) + "/" + id).body();
    }

    private static ApiCalls.Response command(ApiCalls api, Vin vin, String body) {
        return api.post(commands(vin), body);
    }

    private static String commands(Vin vin) {
        return "/api/v1/vehicles/" + vin + "/commands";
    }

    private Vin nextVin() {
        return TestVins.northAmerican("1TSUCMDX", serial.incrementAndGet());
    }

    private CommandCar register(Vin vin) {
        return register(vin, "alice");
    }

    private CommandCar register(Vin vin, String owner) {
        ApiCalls.Response response = operator.post(
                "/api/v1/vehicles", "{\"vin\": \"" + vin + "\", \"model\": \"Test EV\", \"owner\": \"" + owner + "\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        assertThat(response.body().path("commandKey").path("keyId").asText()).isEqualTo("fleet-1");
        assertThat(response.body().path("commandKey").path("algorithm").asText())
                .isEqualTo("Ed25519");
        return CommandCar.of(vin, response.body(), server.mqttPort());
    }

    private String createUser(String name, String role) {
        ApiCalls.Response response =
                server.adminApi().post("/api/v1/users", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body().path("token").asText();
    }
}
