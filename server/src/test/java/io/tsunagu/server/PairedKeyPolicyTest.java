package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandSigner;
import io.tsunagu.protocol.command.CommandVerifier.Verification;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandResult.Status;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.CommandCar;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's side of the fleet-key policy over real TLS and HTTP: while a car has a paired user key the server signs
 * only what the car would still take from the fleet key ({@code 409 user_signature_required} otherwise), and a {@code
 * keys.revoke} the car reports executed marks the key revoked in {@code GET /keys}. The car is a {@link CommandCar}
 * that verifies envelopes like the agent; each test uses its own car.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PairedKeyPolicyTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String UNLOCK = "{\"action\": \"doors.unlock\"}";

    TestServer server;
    ApiCalls operator;
    ApiCalls alice;
    ApiCalls bob;
    final AtomicInteger serial = new AtomicInteger();

    /** A user's key as it lives on their device, with its own counter. */
    record UserKey(String keyId, KeyPair keys, CommandSigner signer, AtomicLong counter) {
        static UserKey create(String keyId) {
            KeyPair keys = CommandKeys.ed25519();
            return new UserKey(keyId, keys, new CommandSigner(keyId, keys.getPrivate()), new AtomicLong());
        }
    }

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.start(dir);
        operator = server.api(createUser("ops", "operator"));
        alice = server.api(createUser("alice", "owner"));
        bob = server.api(createUser("bob", "owner"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aPairedCarAnswersFleetSignedActuatingCommandsWithUserSignatureRequired() {
        Vin vin = nextVin();
        try (CommandCar car = register(vin).connect()) {
            assertThat(command(alice, vin, UNLOCK).status())
                    .as("no user key yet")
                    .isEqualTo(202);
            drain(car, 1);
            pair(car, vin, UserKey.create("alice-phone"));
            int stored = count(vin);
            long errorsBefore = clientErrors();

            for (ApiCalls caller : new ApiCalls[] {alice, operator}) {
                ApiCalls.Response refused = command(caller, vin, UNLOCK);
                assertError(refused, 409, "user_signature_required");
                assertThat(refused.body().path("message").asText())
                        .contains("/api/v1/vehicles/" + vin + "/commands/signed");
            }
            assertError(
                    command(alice, vin, "{\"action\": \"climate.start\", \"params\": {\"temperature_c\": 21}}"),
                    409,
                    "user_signature_required");

            assertThat(count(vin)).as("nothing stored").isEqualTo(stored);
            assertThat(clientErrors()).isEqualTo(errorsBefore + 3);
            assertThat(car.next(Duration.ofMillis(300))).as("nothing delivered").isEmpty();
            for (String open : new String[] {"wake", "refresh"}) {
                ApiCalls.Response accepted = command(alice, vin, "{\"action\": \"" + open + "\"}");
                assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
                assertThat(accepted.body().path("keyId").asText()).isEqualTo("fleet-1");
            }
            assertThat(command(bob, vin, UNLOCK).status())
                    .as("another owner's car still reads as not found")
                    .isEqualTo(404);
        }
    }

    @Test
    void aFleetSignedRevocationTheCarExecutedMarksTheKeyRevokedAndGivesTheFleetKeyBack() {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        try (CommandCar car = register(vin).connect()) {
            pair(car, vin, phone);
            assertThat(command(bob, vin, revoke("alice-phone")).status()).isEqualTo(404);

            ApiCalls.Response requested = command(alice, vin, revoke("alice-phone"));
            assertThat(requested.status()).as(requested.text()).isEqualTo(202);
            String revocation = requested.body().path("id").asText();
            Verification delivered = car.verify(car.next(WAIT).orElseThrow());
            assertThat(((Verification.Accepted) delivered).body().getAction()).isEqualTo("keys.revoke");
            assertThat(((Verification.Accepted) delivered).body().getParamsMap())
                    .containsEntry("key_id", "alice-phone");
            car.report(revocation, Status.DELIVERED, "");
            awaitState(vin, revocation, "delivered");
            assertThat(key(vin, "alice-phone").path("state").asText())
                    .as("not revoked before the car reports it executed")
                    .isEqualTo("paired");
            car.report(revocation, Status.EXECUTED, "");

            JsonNode revoked = awaitKeyState(vin, "alice-phone", "revoked");
            assertThat(revoked.path("revokeCommandId").asText()).isEqualTo(revocation);
            assertThat(revoked.path("revokedAt").asText()).isNotBlank();
            assertThat(revoked.path("commandId").asText())
                    .as("the pairing is still named")
                    .isNotBlank();
            assertThat(command(alice, vin, UNLOCK).status())
                    .as("no user key left: the fleet key signs again")
                    .isEqualTo(202);
            assertError(postSigned(alice, vin, phone, "doors.lock"), 400, "key_revoked");
        }
    }

    @Test
    void aUserSignedRevocationIsRelayedAndMarksTheKeyRevokedWhenTheCarExecutedIt() {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        UserKey watch = UserKey.create("alice-watch");
        try (CommandCar car = register(vin).connect()) {
            pair(car, vin, phone);
            pair(car, vin, watch);

            ApiCalls.Response posted = postSigned(alice, vin, phone, "keys.revoke", "key_id", "alice-watch");
            assertThat(posted.status()).as(posted.text()).isEqualTo(202);
            String revocation = posted.body().path("id").asText();
            Verification delivered = car.verify(car.next(WAIT).orElseThrow());
            assertThat(((Verification.Accepted) delivered).keyId()).isEqualTo("alice-phone");
            car.report(revocation, Status.EXECUTED, "");

            awaitKeyState(vin, "alice-watch", "revoked");
            assertThat(key(vin, "alice-phone").path("state").asText()).isEqualTo("paired");
            assertError(command(alice, vin, UNLOCK), 409, "user_signature_required");
            assertError(postSigned(alice, vin, watch, "doors.lock"), 400, "key_revoked");
        }
    }

    @Test
    void aRevocationTheCarDeclinedChangesNothing() {
        Vin vin = nextVin();
        try (CommandCar car = register(vin).connect()) {
            pair(car, vin, UserKey.create("alice-phone"));
            String revocation =
                    command(alice, vin, revoke("alice-phone")).body().path("id").asText();
            car.verify(car.next(WAIT).orElseThrow());

            car.report(revocation, Status.FAILED, "revocation_declined");

            awaitState(vin, revocation, "failed");
            assertThat(key(vin, "alice-phone").path("state").asText()).isEqualTo("paired");
            assertError(command(alice, vin, UNLOCK), 409, "user_signature_required");
        }
    }

    @Test
    void aPairingThatReusesARevokedOrTakenKeyIdIsRefusedBeforeItIsStored() {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        UserKey watch = UserKey.create("alice-watch");
        try (CommandCar car = register(vin).connect()) {
            pair(car, vin, phone);
            pair(car, vin, watch);
            String revocation = postSigned(alice, vin, watch, "keys.revoke", "key_id", "alice-phone")
                    .body()
                    .path("id")
                    .asText();
            car.verify(car.next(WAIT).orElseThrow());
            car.report(revocation, Status.EXECUTED, "");
            awaitKeyState(vin, "alice-phone", "revoked");
            int stored = count(vin);
            long errorsBefore = clientErrors();

            UserKey newPhone = UserKey.create("alice-phone");
            assertError(command(alice, vin, pairing(newPhone)), 409, "key_id_revoked");
            UserKey otherWatch = UserKey.create("alice-watch");
            assertError(command(alice, vin, pairing(otherWatch)), 409, "key_id_taken");
            assertError(
                    postSigned(
                            alice,
                            vin,
                            watch,
                            "keys.pair",
                            "key_id",
                            "alice-phone",
                            "public_key",
                            CommandKeys.encode(newPhone.keys().getPublic())),
                    409,
                    "key_id_revoked");

            assertThat(count(vin)).as("nothing stored").isEqualTo(stored);
            assertThat(clientErrors()).isEqualTo(errorsBefore + 3);
            assertThat(car.next(Duration.ofMillis(300))).as("nothing delivered").isEmpty();
            ApiCalls.Response again = command(alice, vin, pairing(watch));
            assertThat(again.status())
                    .as("the same key under its own id again: the car answers 'already paired'")
                    .isEqualTo(202);
            assertThat(command(alice, vin, pairing(UserKey.create("alice-phone-2")))
                            .status())
                    .as("a new id")
                    .isEqualTo(202);
        }
    }

    @Test
    void fleetCommandsQueuedBeforeThePairingIsConfirmedAreCancelledInsteadOfSentToBeRefused()
            throws InterruptedException {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        try (CommandCar car = register(vin).connect()) {
            ApiCalls.Response pairing = command(alice, vin, pairing(phone));
            car.verify(car.next(WAIT).orElseThrow());
            car.pair(phone.keyId(), phone.keys().getPublic());
            car.car().close();
            String unlock = command(alice, vin, UNLOCK).body().path("id").asText();
            String wake = command(alice, vin, "{\"action\": \"wake\"}")
                    .body()
                    .path("id")
                    .asText();
            awaitState(vin, unlock, "queued");

            car.car().connect(); // not subscribed to its commands yet: nothing is sent before the report
            car.report(pairing.body().path("id").asText(), Status.EXECUTED, "");

            awaitState(vin, unlock, "cancelled");
            JsonNode cancelled = operator.get(commands(vin) + "/" + unlock).body();
            assertThat(cancelled.path("reason").asText()).isEqualTo("user_signature_required");
            assertThat(operator.get(commands(vin) + "/" + wake)
                            .body()
                            .path("state")
                            .asText())
                    .as("wake stays open to the fleet key")
                    .isEqualTo("queued");
            // The car's first inbox ended with its first connection; a new one for this connection.
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox =
                    car.car().client().publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
                car.car().subscribe(Topics.commands(vin));
                Verification delivered = car.verify(
                        inbox.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow());
                assertThat(((Verification.Accepted) delivered).body().getCommandId())
                        .isEqualTo(wake);
                assertThat(inbox.receive(300, TimeUnit.MILLISECONDS))
                        .as("the unlock is never sent")
                        .isEmpty();
            }
        }
    }

    private static String revoke(String keyId) {
        return "{\"action\": \"keys.revoke\", \"params\": {\"key_id\": \"" + keyId + "\"}}";
    }

    private static String pairing(UserKey key) {
        return "{\"action\": \"keys.pair\", \"params\": {\"key_id\": \"" + key.keyId() + "\", \"public_key\": \""
                + CommandKeys.encode(key.keys().getPublic()) + "\"}}";
    }

    /** Pairs {@code key}: alice asks for it, the fleet signs it, the car confirms and reports it executed. */
    private void pair(CommandCar car, Vin vin, UserKey key) {
        ApiCalls.Response requested = command(alice, vin, pairing(key));
        assertThat(requested.status()).as(requested.text()).isEqualTo(202);
        Verification verification = car.verify(car.next(WAIT).orElseThrow());
        assertThat(((Verification.Accepted) verification).body().getAction()).isEqualTo("keys.pair");
        car.pair(key.keyId(), key.keys().getPublic());
        car.report(requested.body().path("id").asText(), Status.EXECUTED, "");
        awaitKeyState(vin, key.keyId(), "paired");
    }

    private void drain(CommandCar car, int commands) {
        for (int i = 0; i < commands; i++) {
            car.verify(car.next(WAIT).orElseThrow());
        }
    }

    private ApiCalls.Response postSigned(ApiCalls api, Vin vin, UserKey key, String action, String... params) {
        long now = System.currentTimeMillis();
        CommandBody.Builder body = CommandBody.newBuilder()
                .setVin(vin.value())
                .setCommandId(UUID.randomUUID().toString())
                .setAction(action)
                .setIssuedAtMs(now)
                .setExpiresAtMs(now + Duration.ofMinutes(5).toMillis())
                .setCounter(key.counter().incrementAndGet());
        for (int i = 0; i < params.length; i += 2) {
            body.putParams(params[i], params[i + 1]);
        }
        byte[] envelope = key.signer().sign(body.build()).toByteArray();
        return api.post(
                "/api/v1/vehicles/" + vin + "/commands/signed",
                "{\"envelope\": \"" + Base64.getEncoder().encodeToString(envelope) + "\"}");
    }

    private ApiCalls.Response command(ApiCalls api, Vin vin, String json) {
        return api.post(commands(vin), json);
    }

    private int count(Vin vin) {
        return operator.get(commands(vin)).body().path("count").asInt();
    }

    private long clientErrors() {
        return server.server().metrics().value("tsunagu_api_client_errors_total");
    }

    /** The key as GET /keys lists it (a missing node if it is not listed). */
    private JsonNode key(Vin vin, String keyId) {
        JsonNode items = alice.get("/api/v1/vehicles/" + vin + "/keys").body().path("items");
        for (JsonNode item : items) {
            if (item.path("keyId").asText().equals(keyId)) {
                return item;
            }
        }
        return items.path(keyId);
    }

    private JsonNode awaitKeyState(Vin vin, String keyId, String state) {
        return await().atMost(WAIT)
                .until(() -> key(vin, keyId), k -> k.path("state").asText().equals(state));
    }

    private void awaitState(Vin vin, String id, String state) {
        await().atMost(WAIT)
                .until(() -> operator.get(commands(vin) + "/" + id)
                        .body()
                        .path("state")
                        .asText()
                        .equals(state));
    }

    private void assertError(ApiCalls.Response response, int status, String code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.code()).as(response.text()).isEqualTo(code);
        assertThat(response.body().path("message").asText()).isNotBlank();
    }

    private static String commands(Vin vin) {
        return "/api/v1/vehicles/" + vin + "/commands";
    }

    private Vin nextVin() {
        return TestVins.northAmerican("1TSUPLCY", serial.incrementAndGet());
    }

    private CommandCar register(Vin vin) {
        ApiCalls.Response response = operator.post(
                "/api/v1/vehicles", "{\"vin\": \"" + vin + "\", \"model\": \"Test EV\", \"owner\": \"alice\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return CommandCar.of(vin, response.body(), server.mqttPort());
    }

    private String createUser(String name, String role) {
        ApiCalls.Response response =
                server.adminApi().post("/api/v1/users", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body().path("token").asText();
    }
}
