package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandSigner;
import io.tsunagu.protocol.command.CommandVerifier.Verification;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandEnvelope;
import io.tsunagu.protocol.wire.CommandResult.Status;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.CommandCar;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-side signing over real TLS and HTTP: a user pairs a key through a {@code keys.pair} command the car confirms,
 * then signs envelopes on their own device and posts them to {@code /commands/signed}; the server checks them and
 * relays the exact bytes, which the car verifies with the user's key. Each test uses its own car.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserSignedCommandTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    TestServer server;
    ApiCalls operator;
    ApiCalls alice;
    ApiCalls bob;
    final AtomicInteger serial = new AtomicInteger();

    /** A user's key as it lives on their device. */
    record UserKey(String keyId, KeyPair keys, CommandSigner signer) {
        static UserKey create(String keyId) {
            KeyPair keys = CommandKeys.ed25519();
            return new UserKey(keyId, keys, new CommandSigner(keyId, keys.getPrivate()));
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
    void aKeyIsListedOnceTheCarReportsItsPairingExecuted() {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        try (CommandCar car = register(vin).connect()) {
            String pairing = requestPairing(vin, phone);
            Verification verification = car.verify(car.next(WAIT).orElseThrow());
            assertThat(((Verification.Accepted) verification).keyId()).isEqualTo("fleet-1");
            car.report(pairing, Status.DELIVERED, "");
            awaitState(vin, pairing, "delivered");
            assertThat(alice.get(keys(vin)).body().path("count").asInt())
                    .as("not paired before the car confirms")
                    .isZero();

            car.pair(phone.keyId(), phone.keys().getPublic());
            car.report(pairing, Status.EXECUTED, "");

            JsonNode listed = awaitKeys(vin, 1).path("items").get(0);
            assertThat(listed.path("keyId").asText()).isEqualTo("alice-phone");
            assertThat(listed.path("algorithm").asText()).isEqualTo("Ed25519");
            assertThat(listed.path("publicKey").asText())
                    .isEqualTo(CommandKeys.encode(phone.keys().getPublic()));
            assertThat(listed.path("commandId").asText()).isEqualTo(pairing);
            assertThat(operator.get(keys(vin)).body().path("count").asInt()).isEqualTo(1);
            assertThat(bob.get(keys(vin)).status()).as("another owner's car").isEqualTo(404);
        }
    }

    @Test
    void aFailedPairingPairsNothing() {
        Vin vin = nextVin();
        try (CommandCar car = register(vin).connect()) {
            String pairing = requestPairing(vin, UserKey.create("declined"));
            car.next(WAIT).orElseThrow();
            car.report(pairing, Status.FAILED, "pairing_declined");
            awaitState(vin, pairing, "failed");

            assertThat(alice.get(keys(vin)).body().path("count").asInt()).isZero();
        }
    }

    @Test
    void aUserSignedEnvelopeIsRelayedUnchangedAndTheCarVerifiesItWithTheUserKey() {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        try (CommandCar car = register(vin).connect()) {
            pair(car, vin, phone);
            CommandBody body = body(vin, "doors.lock", Map.of(), 7);
            byte[] envelope = phone.signer().sign(body).toByteArray();

            ApiCalls.Response created = postSigned(alice, vin, envelope);

            assertThat(created.status()).as(created.text()).isEqualTo(202);
            assertThat(created.body().path("id").asText()).isEqualTo(body.getCommandId());
            assertThat(created.body().path("keyId").asText()).isEqualTo("alice-phone");
            assertThat(created.body().path("keyCounter").asLong()).isEqualTo(7);
            assertThat(created.body().path("requestedBy").asText()).isEqualTo("alice");
            assertThat(created.body().path("expiresAt").asText())
                    .isEqualTo(Instant.ofEpochMilli(body.getExpiresAtMs()).toString());
            Mqtt5Publish publish = car.next(WAIT).orElseThrow();
            assertThat(publish.getPayloadAsBytes()).as("relayed unchanged").isEqualTo(envelope);
            Verification verification = car.verify(publish);
            assertThat(verification).isInstanceOf(Verification.Accepted.class);
            assertThat(((Verification.Accepted) verification).keyId()).isEqualTo("alice-phone");
            assertThat(((Verification.Accepted) verification).body()).isEqualTo(body);

            car.report(body.getCommandId(), Status.EXECUTED, "");
            awaitState(vin, body.getCommandId(), "executed");
            JsonNode twin = alice.get("/api/v1/vehicles/" + vin + "/twin").body();
            assertThat(twin.path("desired")
                            .path("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked")
                            .path("value")
                            .asBoolean())
                    .isTrue();
            JsonNode audit = operator.get("/api/v1/audit?vin=" + vin).body().path("items");
            assertThat(audit.findValuesAsText("commandId")).contains(body.getCommandId());
            assertThat(audit.findValuesAsText("principal")).contains("alice", "car:" + vin);
        }
    }

    @Test
    void refusesEnvelopesTheCarWouldRefuseOrThatAreNotTheUsersToSend() {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        try (CommandCar car = register(vin).connect()) {
            pair(car, vin, phone);
            int before = alice.get(commands(vin)).body().path("count").asInt();
            CommandBody lock = body(vin, "doors.lock", Map.of(), 5);

            assertError(
                    postSigned(alice, vin, UserKey.create("stranger").signer().sign(lock)), 400, "key_not_paired");
            assertError(
                    postSigned(alice, vin, phone.signer().sign(body(nextVin(), "doors.lock", Map.of(), 5))),
                    400,
                    "wrong_vin");
            assertError(postSigned(alice, vin, tampered(phone.signer().sign(lock))), 400, "bad_signature");
            CommandSigner asFleet = new CommandSigner("fleet-1", phone.keys().getPrivate());
            assertError(postSigned(alice, vin, asFleet.sign(lock)), 400, "fleet_key_not_allowed");
            assertError(
                    postSigned(alice, vin, phone.signer().sign(body(vin, "doors.explode", Map.of(), 5))),
                    400,
                    "unknown_action");
            assertError(
                    postSigned(
                            alice,
                            vin,
                            phone.signer().sign(body(vin, "climate.start", Map.of("temperature_c", "45"), 5))),
                    400,
                    "invalid_param");
            CommandBody expired = lock.toBuilder()
                    .setExpiresAtMs(System.currentTimeMillis() - 1000)
                    .build();
            assertError(postSigned(alice, vin, phone.signer().sign(expired)), 400, "invalid_expiry");
            assertError(alice.post(signed(vin), "{\"envelope\": \"not base64!\"}"), 400, "invalid_envelope");
            assertError(alice.post(signed(vin), "{\"envelope\": \"AAEC\"}"), 400, "invalid_envelope");

            assertThat(alice.get(commands(vin)).body().path("count").asInt())
                    .as("nothing stored")
                    .isEqualTo(before);
            assertThat(car.next(Duration.ofMillis(300))).as("nothing delivered").isEmpty();
        }
    }

    @Test
    void countersMustIncreaseAndCommandIdsAreUsedOnce() {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        try (CommandCar car = register(vin).connect()) {
            pair(car, vin, phone);
            CommandEnvelope first = phone.signer().sign(body(vin, "doors.unlock", Map.of(), 10));
            assertThat(postSigned(alice, vin, first).status()).isEqualTo(202);

            assertError(
                    postSigned(alice, vin, phone.signer().sign(body(vin, "doors.lock", Map.of(), 10))),
                    400,
                    "counter_not_increasing");
            assertError(postSigned(alice, vin, first), 409, "duplicate_command_id");
            CommandEnvelope second = phone.signer().sign(body(vin, "doors.lock", Map.of(), 11));
            ApiCalls.Response accepted = postSigned(alice, vin, second, "retry-1");
            ApiCalls.Response retry = postSigned(alice, vin, second, "retry-1");

            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            assertThat(retry.status()).as(retry.text()).isEqualTo(200);
            assertThat(retry.body().path("id").asText())
                    .isEqualTo(accepted.body().path("id").asText());
            for (long counter : new long[] {10, 11}) {
                Verification verification = car.verify(car.next(WAIT).orElseThrow());
                assertThat(((Verification.Accepted) verification).body().getCounter())
                        .as("delivered in order")
                        .isEqualTo(counter);
            }
        }
    }

    @Test
    void anotherOwnersCarReadsAsNotFound() {
        Vin vin = nextVin();
        UserKey phone = UserKey.create("alice-phone");
        try (CommandCar car = register(vin).connect()) {
            pair(car, vin, phone);
            CommandEnvelope envelope = phone.signer().sign(body(vin, "doors.lock", Map.of(), 1));

            assertError(postSigned(bob, vin, envelope), 404, "not_found");
            assertThat(postSigned(operator, vin, envelope).status()).isEqualTo(202);
        }
    }

    /** Pairs {@code key} to the car: alice asks for it, the fleet signs it, the car confirms and reports executed. */
    private void pair(CommandCar car, Vin vin, UserKey key) {
        String pairing = requestPairing(vin, key);
        Verification verification = car.verify(car.next(WAIT).orElseThrow());
        assertThat(((Verification.Accepted) verification).body().getAction()).isEqualTo("keys.pair");
        car.pair(key.keyId(), key.keys().getPublic());
        car.report(pairing, Status.EXECUTED, "");
        awaitKeys(vin, 1);
    }

    private String requestPairing(Vin vin, UserKey key) {
        ApiCalls.Response response = alice.post(
                commands(vin),
                "{\"action\": \"keys.pair\", \"params\": {\"key_id\": \"" + key.keyId() + "\", \"public_key\": \""
                        + CommandKeys.encode(key.keys().getPublic()) + "\"}}");
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.body().path("id").asText();
    }

    /** A body as the user's device builds it: its own command id, expiry and counter. */
    private static CommandBody body(Vin vin, String action, Map<String, String> params, long counter) {
        long now = System.currentTimeMillis();
        return CommandBody.newBuilder()
                .setVin(vin.value())
                .setCommandId(UUID.randomUUID().toString())
                .setAction(action)
                .putAllParams(params)
                .setIssuedAtMs(now)
                .setExpiresAtMs(now + Duration.ofMinutes(5).toMillis())
                .setCounter(counter)
                .build();
    }

    /** The same signature over a body that now says "unlock". */
    private static CommandEnvelope tampered(CommandEnvelope envelope) {
        try {
            CommandBody changed = CommandBody.parseFrom(envelope.getBody()).toBuilder()
                    .setAction("doors.unlock")
                    .build();
            return envelope.toBuilder().setBody(changed.toByteString()).build();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private ApiCalls.Response postSigned(ApiCalls api, Vin vin, CommandEnvelope envelope) {
        return postSigned(api, vin, envelope.toByteArray());
    }

    private ApiCalls.Response postSigned(ApiCalls api, Vin vin, CommandEnvelope envelope, String idempotencyKey) {
        return api.post(signed(vin), json(envelope.toByteArray()), "Idempotency-Key", idempotencyKey);
    }

    private ApiCalls.Response postSigned(ApiCalls api, Vin vin, byte[] envelope) {
        return api.post(signed(vin), json(envelope));
    }

    private static String json(byte[] envelope) {
        return "{\"envelope\": \"" + Base64.getEncoder().encodeToString(envelope) + "\"}";
    }

    private void assertError(ApiCalls.Response response, int status, String code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.code()).as(response.text()).isEqualTo(code);
        assertThat(response.body().path("message").asText()).isNotBlank();
    }

    private JsonNode awaitKeys(Vin vin, int count) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            last[0] = alice.get(keys(vin)).body();
            return last[0].path("count").asInt() == count;
        });
        return last[0];
    }

    private void awaitState(Vin vin, String id, String state) {
        await().atMost(WAIT)
                .until(() -> operator.get(commands(vin) + "/" + id)
                        .body()
                        .path("state")
                        .asText()
                        .equals(state));
    }

    private static String commands(Vin vin) {
        return "/api/v1/vehicles/" + vin + "/commands";
    }

    private static String signed(Vin vin) {
        return commands(vin) + "/signed";
    }

    private static String keys(Vin vin) {
        return "/api/v1/vehicles/" + vin + "/keys";
    }

    private Vin nextVin() {
        return TestVins.northAmerican("1TSUUSRK", serial.incrementAndGet());
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
