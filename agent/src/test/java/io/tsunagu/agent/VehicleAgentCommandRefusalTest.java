package io.tsunagu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.agent.command.ActionOutcome;
import io.tsunagu.agent.command.ActuatorHandler;
import io.tsunagu.agent.command.CommandActions;
import io.tsunagu.agent.command.PairingConfirmation;
import io.tsunagu.agent.command.RevocationConfirmation;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandSigner;
import io.tsunagu.protocol.command.RefusalReason;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandEnvelope;
import io.tsunagu.protocol.wire.CommandResult;
import io.tsunagu.protocol.wire.CommandResult.Status;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every refusal reason, and at-most-once execution, end to end: a real {@link VehicleAgent} connected over mutual TLS
 * to the embedded broker, commands published from the broker side to the car's own subscription (as the cloud's MQTT
 * gateway does), results read back as the car published them on {@code vehicles/{vin}/commands/result}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VehicleAgentCommandRefusalTest {
    private static final Vin VIN = Vin.of("WTSUNAGUREFSL0001");
    private static final Vin OTHER_VIN = Vin.of("WTSUNAGUREFSL0099");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long NOW = 1_767_225_600_000L;
    private static final long TEN_MINUTES_MS = 600_000;
    private static final String TAG =
            "tag"; // a parameter carrying the command id, so actuator calls name their command
    private static final KeyPair FLEET = CommandKeys.ed25519();
    private static final CommandSigner FLEET_SIGNER = new CommandSigner("fleet-1", FLEET.getPrivate());

    private Path dir;
    private TestPki pki;
    private TestBroker broker;
    private VehicleAgent agent;
    /** The tag of every command that reached the actuators of the class's agent, in call order. */
    private final List<String> actuated = new CopyOnWriteArrayList<>();
    /** A user key a case paired; revoked after the case so the fleet key commands the car again. */
    private Optional<CommandSigner> pairedForCase = Optional.empty();
    /** The fleet key's counter: raised for every fleet-signed command, accepted or not. */
    private final AtomicLong fleetCounter = new AtomicLong();

    @BeforeAll
    void startBrokerAndAgent(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        pki = new TestPki();
        broker = new TestBroker(dir.resolve("broker"), pki);
        broker.start();
        agent = started(config(VIN, actuated));
    }

    @AfterAll
    void stopAgentAndBroker() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @EnumSource(RefusalReason.class)
    void refusesTheBadEnvelopeWithItsReasonCodeAndNeverCallsTheActuators(RefusalReason reason) {
        String id = "bad-" + reason.code();
        byte[] envelope = badEnvelope(reason, id);
        int resultsBefore = results(VIN).size();
        int actuatedBefore = actuated.size();

        send(VIN, envelope);

        List<CommandResult> reported =
                await().atMost(TIMEOUT).until(() -> resultsSince(VIN, resultsBefore), r -> !r.isEmpty());
        CommandResult refusal = reported.getFirst();
        assertThat(refusal.getStatus()).isEqualTo(Status.REFUSED);
        assertThat(refusal.getReason()).isEqualTo(reason.code());
        // A payload that is no envelope at all names no command; every other refusal names the (unverified) id.
        assertThat(refusal.getCommandId()).isEqualTo(reason == RefusalReason.MALFORMED ? "" : id);
        assertThat(reported).as("nothing but the refusal was reported").hasSize(1);
        assertThat(actuated).hasSize(actuatedBefore).doesNotContain(id);
    }

    @Test
    void executesACommandDeliveredTwiceOnceAndStillOnceAfterTheAgentRestarts() throws Exception {
        Vin vin = Vin.of("WTSUNAGUREFSL0002");
        List<String> calls = new CopyOnWriteArrayList<>();
        AgentConfig config = config(vin, calls);
        byte[] lock = FLEET_SIGNER.sign(lock(vin, "dup-1", 1)).toByteArray();

        try (VehicleAgent first = started(config)) {
            send(vin, lock);
            assertThat(awaitFinal(vin, "dup-1").getStatus()).isEqualTo(Status.EXECUTED);
            send(vin, lock); // the cloud missed the acknowledgement and delivers the same envelope again
            await().atMost(TIMEOUT).until(() -> count(vin, "dup-1", Status.EXECUTED) == 2);
            assertThat(calls).containsExactly("dup-1");
        }
        try (VehicleAgent restarted = started(config)) {
            send(vin, lock);
            // Commands run in arrival order: once the next one executed, the re-delivery before it was handled.
            send(vin, FLEET_SIGNER.sign(lock(vin, "dup-2", 2)).toByteArray());
            assertThat(awaitFinal(vin, "dup-2").getStatus()).isEqualTo(Status.EXECUTED);
        }
        assertThat(calls).containsExactly("dup-1", "dup-2");
        assertThat(count(vin, "dup-1", Status.DELIVERED)).isEqualTo(1);
        assertThat(count(vin, "dup-1", Status.EXECUTED))
                .as("re-reported after the restart too")
                .isGreaterThanOrEqualTo(3);
        assertThat(statuses(vin, "dup-1")).containsOnly(Status.DELIVERED, Status.EXECUTED);
    }

    /** An envelope the car must refuse for {@code reason}, after whatever set-up that reason needs. */
    private byte[] badEnvelope(RefusalReason reason, String id) {
        return switch (reason) {
            case MALFORMED -> new byte[] {1, 2, 3}; // field number 0: not a protobuf message
            case UNSIGNED ->
                CommandEnvelope.newBuilder()
                        .setBody(lock(VIN, id, nextCounter()).toByteString())
                        .setKeyId(FLEET_SIGNER.keyId())
                        .setAlgorithm(CommandKeys.ED25519)
                        .build()
                        .toByteArray();
            case BAD_SIGNATURE -> {
                CommandBody signed = lock(VIN, id, nextCounter());
                CommandBody tampered = signed.toBuilder()
                        .setAction(CommandActions.DOORS_UNLOCK)
                        .build();
                yield FLEET_SIGNER.sign(signed).toBuilder()
                        .setBody(tampered.toByteString())
                        .build()
                        .toByteArray();
            }
            case UNKNOWN_KEY ->
                new CommandSigner("stranger-1", CommandKeys.ed25519().getPrivate())
                        .sign(lock(VIN, id, 1))
                        .toByteArray();
            case REVOKED_KEY -> pairThenRevokeUserKey().sign(lock(VIN, id, 2)).toByteArray();
            case WRONG_VIN ->
                FLEET_SIGNER.sign(lock(OTHER_VIN, id, nextCounter())).toByteArray();
            case EXPIRED ->
                FLEET_SIGNER
                        .sign(lock(VIN, id, nextCounter()).toBuilder()
                                .setIssuedAtMs(NOW - TEN_MINUTES_MS)
                                .setExpiresAtMs(NOW - 1)
                                .build())
                        .toByteArray();
            case REPLAYED -> {
                long counter = nextCounter();
                execute(VIN, FLEET_SIGNER.sign(lock(VIN, id + "-first", counter)));
                yield FLEET_SIGNER.sign(lock(VIN, id, counter)).toByteArray(); // a new id, the same counter
            }
            case FLEET_KEY_NOT_PERMITTED -> {
                pairedForCase = Optional.of(pairUserKey("policy-phone"));
                yield FLEET_SIGNER.sign(lock(VIN, id, nextCounter())).toByteArray();
            }
            case UNSUPPORTED_ALGORITHM ->
                FLEET_SIGNER.sign(lock(VIN, id, nextCounter())).toBuilder()
                        .setAlgorithm(CommandKeys.ECDSA_P256)
                        .build()
                        .toByteArray();
        };
    }

    /** Revokes the user key a case paired (signed by that key: no in-car confirmation), so the fleet key works again. */
    @AfterEach
    void revokeTheUserKeyOfTheCase() {
        pairedForCase.ifPresent(signer -> {
            Map<String, String> revoke = Map.of(CommandActions.KEY_ID, signer.keyId());
            execute(VIN, signer.sign(command(VIN, "revoke-" + signer.keyId(), CommandActions.KEYS_REVOKE, revoke, 1)));
        });
        pairedForCase = Optional.empty();
    }

    /** Pairs a user key through a fleet-signed, in-car approved keys.pair. */
    private CommandSigner pairUserKey(String keyId) {
        KeyPair phone = CommandKeys.p256();
        Map<String, String> pair =
                Map.of(CommandActions.KEY_ID, keyId, CommandActions.PUBLIC_KEY, CommandKeys.encode(phone.getPublic()));
        execute(VIN, FLEET_SIGNER.sign(command(VIN, "pair-" + keyId, CommandActions.KEYS_PAIR, pair, nextCounter())));
        return new CommandSigner(keyId, phone.getPrivate());
    }

    /** Pairs a user key, shows it works, then revokes it with a fleet-signed keys.revoke the car confirms. */
    private CommandSigner pairThenRevokeUserKey() {
        CommandSigner phoneSigner = pairUserKey("phone-1");
        execute(VIN, phoneSigner.sign(lock(VIN, "phone-1-lock", 1)));
        assertThat(actuated).contains("phone-1-lock");
        Map<String, String> revoke = Map.of(CommandActions.KEY_ID, "phone-1");
        execute(
                VIN,
                FLEET_SIGNER.sign(command(VIN, "revoke-phone-1", CommandActions.KEYS_REVOKE, revoke, nextCounter())));
        return phoneSigner;
    }

    private void execute(Vin vin, CommandEnvelope envelope) {
        String id = commandId(envelope);
        send(vin, envelope.toByteArray());
        CommandResult result = awaitFinal(vin, id);
        assertThat(result.getStatus())
                .as("set-up command %s: %s %s", id, result.getReason(), result.getMessage())
                .isEqualTo(Status.EXECUTED);
    }

    private long nextCounter() {
        return fleetCounter.incrementAndGet();
    }

    private static CommandBody lock(Vin vin, String id, long counter) {
        return command(vin, id, CommandActions.DOORS_LOCK, Map.of(TAG, id), counter);
    }

    private static CommandBody command(Vin vin, String id, String action, Map<String, String> params, long counter) {
        return CommandBody.newBuilder()
                .setVin(vin.value())
                .setCommandId(id)
                .setAction(action)
                .putAllParams(params)
                .setIssuedAtMs(NOW - 1_000)
                .setExpiresAtMs(NOW + TEN_MINUTES_MS)
                .setCounter(counter)
                .build();
    }

    private static String commandId(CommandEnvelope envelope) {
        try {
            return CommandBody.parseFrom(envelope.getBody()).getCommandId();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The agent's clock is fixed at {@link #NOW}, so expiry is decided by the envelopes alone. */
    private AgentConfig config(Vin vin, List<String> calls) throws Exception {
        ActuatorHandler recording = (action, params) -> {
            calls.add(params.getOrDefault(TAG, action));
            return ActionOutcome.executed();
        };
        return AgentConfig.builder(vin, pki.client(vin.value()))
                .host("localhost")
                .port(broker.port)
                .bufferDir(dir.resolve("agent"))
                .backoff(new ReconnectBackoff(100, 1_000))
                .retryBackoff(new ReconnectBackoff(10, 200))
                .jitterSeed(1)
                .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                .commandKeys(Map.of(FLEET_SIGNER.keyId(), FLEET.getPublic()))
                .actuators(recording)
                .pairingConfirmation(PairingConfirmation.APPROVE)
                .revocationConfirmation(RevocationConfirmation.APPROVE)
                .build();
    }

    private VehicleAgent started(AgentConfig config) {
        VehicleAgent started = new VehicleAgent(config);
        started.start();
        Vin vin = config.vin();
        await().atMost(TIMEOUT)
                .until(() -> started.connected() && broker.subscribed(vin.value(), Topics.commands(vin)));
        return started;
    }

    private void send(Vin vin, byte[] payload) {
        assertThat(broker.publishToClient(vin.value(), Topics.commands(vin), payload))
                .as("the car holds a command subscription")
                .isTrue();
    }

    private CommandResult awaitFinal(Vin vin, String id) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> results(vin).stream()
                                .filter(r -> r.getCommandId().equals(id) && r.getStatus() != Status.DELIVERED)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private long count(Vin vin, String id, Status status) {
        return statuses(vin, id).stream().filter(s -> s == status).count();
    }

    private List<Status> statuses(Vin vin, String id) {
        return results(vin).stream()
                .filter(r -> r.getCommandId().equals(id))
                .map(CommandResult::getStatus)
                .toList();
    }

    private List<CommandResult> resultsSince(Vin vin, int index) {
        List<CommandResult> all = results(vin);
        return all.subList(index, all.size());
    }

    /** The car's command results in the order the broker received them. */
    private List<CommandResult> results(Vin vin) {
        return broker.received.stream()
                .filter(r -> r.clientId().equals(vin.value()) && r.topic().equals(Topics.commandResult(vin)))
                .map(r -> {
                    try {
                        return CommandResult.parseFrom(r.payload());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }
}
