package io.tsunagu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.agent.command.ActionOutcome;
import io.tsunagu.agent.command.ActuatorHandler;
import io.tsunagu.agent.command.CommandActions;
import io.tsunagu.agent.command.PairingConfirmation;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandSigner;
import io.tsunagu.protocol.command.RefusalReason;
import io.tsunagu.protocol.wire.CommandBody;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The car's fleet-key policy end to end: a real {@link VehicleAgent} over mutual TLS to the embedded broker, commands
 * published to its own subscription as the cloud's gateway does, results read back from the broker. Once the car
 * trusts a paired user key, the fleet key may only wake, refresh and manage keys, and its revocations need someone in
 * the car. Each test uses its own car and agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VehicleAgentFleetKeyPolicyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long NOW = 1_767_225_600_000L;
    private static final long TEN_MINUTES_MS = 600_000;
    private static final KeyPair FLEET = CommandKeys.ed25519();
    private static final CommandSigner FLEET_SIGNER = new CommandSigner("fleet-1", FLEET.getPrivate());

    private Path dir;
    private TestPki pki;
    private TestBroker broker;
    private final AtomicInteger serial = new AtomicInteger();

    /** One simulated car: its agent, its doors, what reached its actuators and its in-car revocation prompt. */
    private final class Car implements AutoCloseable {
        final Vin vin = Vin.of("WTSUNAGUPLCYK%04d".formatted(serial.incrementAndGet()));
        final AtomicBoolean locked = new AtomicBoolean();
        final List<String> actuated = new CopyOnWriteArrayList<>();
        final AtomicBoolean approveRevocation = new AtomicBoolean();
        final AtomicInteger revocationPrompts = new AtomicInteger();
        final AtomicLong fleetCounter = new AtomicLong();
        final AtomicInteger ids = new AtomicInteger();
        VehicleAgent agent;

        Car start() throws Exception {
            agent = started(config());
            return this;
        }

        void restart() throws Exception {
            agent.close();
            start();
        }

        AgentConfig config() throws Exception {
            ActuatorHandler doors = (action, params) -> {
                actuated.add(action);
                switch (action) {
                    case CommandActions.DOORS_LOCK -> locked.set(true);
                    case CommandActions.DOORS_UNLOCK -> locked.set(false);
                    default -> {
                        // wake and refresh change nothing the test looks at
                    }
                }
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
                    .actuators(doors)
                    .pairingConfirmation(PairingConfirmation.APPROVE)
                    .revocationConfirmation(keyId -> {
                        revocationPrompts.incrementAndGet();
                        return approveRevocation.get();
                    })
                    .build();
        }

        /** Signs with the fleet key (the server's signature) and returns the car's final result. */
        CommandResult fleet(String action, Map<String, String> params) {
            return send(FLEET_SIGNER, action, params, fleetCounter.incrementAndGet());
        }

        CommandResult user(UserKey key, String action, Map<String, String> params) {
            return send(key.signer, action, params, key.counter.incrementAndGet());
        }

        /** Pairs the key through a fleet-signed keys.pair that someone in the car confirms. */
        void pair(UserKey key) {
            CommandResult paired = fleet(
                    CommandActions.KEYS_PAIR,
                    Map.of(
                            CommandActions.KEY_ID,
                            key.signer.keyId(),
                            CommandActions.PUBLIC_KEY,
                            CommandKeys.encode(key.keys.getPublic())));
            assertThat(paired.getStatus()).as(paired.getMessage()).isEqualTo(Status.EXECUTED);
        }

        private CommandResult send(CommandSigner signer, String action, Map<String, String> params, long counter) {
            String id = vin.value() + "-" + ids.incrementAndGet();
            CommandBody body = CommandBody.newBuilder()
                    .setVin(vin.value())
                    .setCommandId(id)
                    .setAction(action)
                    .putAllParams(params)
                    .setIssuedAtMs(NOW - 1_000)
                    .setExpiresAtMs(NOW + TEN_MINUTES_MS)
                    .setCounter(counter)
                    .build();
            assertThat(broker.publishToClient(
                            vin.value(), Topics.commands(vin), signer.sign(body).toByteArray()))
                    .as("the car holds a command subscription")
                    .isTrue();
            return awaitFinal(id);
        }

        private CommandResult awaitFinal(String id) {
            return await().atMost(TIMEOUT)
                    .until(
                            () -> results().stream()
                                    .filter(r -> r.getCommandId().equals(id) && r.getStatus() != Status.DELIVERED)
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
        }

        private List<CommandResult> results() {
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

        @Override
        public void close() {
            agent.close();
        }
    }

    /** A user's key as it lives on their phone, with the phone's own counter. */
    private record UserKey(KeyPair keys, CommandSigner signer, AtomicLong counter) {
        static UserKey create(String keyId) {
            KeyPair keys = CommandKeys.ed25519();
            return new UserKey(keys, new CommandSigner(keyId, keys.getPrivate()), new AtomicLong());
        }
    }

    @BeforeAll
    void startBroker(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        pki = new TestPki();
        broker = new TestBroker(dir.resolve("broker"), pki);
        broker.start();
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void afterPairingAFleetSignedUnlockIsRefusedAndTheDoorsStayLockedEvenAfterARestart() throws Exception {
        UserKey phone = UserKey.create("alice-phone");
        try (Car car = new Car().start()) {
            assertThat(car.fleet(CommandActions.DOORS_LOCK, Map.of()).getStatus())
                    .as("no user key yet: the fleet key commands everything")
                    .isEqualTo(Status.EXECUTED);
            car.pair(phone);
            car.actuated.clear();

            assertRefusedForTheFleetKey(car.fleet(CommandActions.DOORS_UNLOCK, Map.of()));
            car.restart();
            assertRefusedForTheFleetKey(car.fleet(CommandActions.DOORS_UNLOCK, Map.of()));

            assertThat(car.locked).isTrue();
            assertThat(car.actuated).isEmpty();
            assertThat(car.user(phone, CommandActions.DOORS_UNLOCK, Map.of()).getStatus())
                    .isEqualTo(Status.EXECUTED);
            assertThat(car.locked).isFalse();
            assertThat(car.actuated).containsExactly(CommandActions.DOORS_UNLOCK);
        }
    }

    @Test
    void theFleetKeyMayStillWakeAndRefreshAPairedCar() throws Exception {
        try (Car car = new Car().start()) {
            car.pair(UserKey.create("alice-phone"));

            assertThat(car.fleet(CommandActions.WAKE, Map.of()).getStatus()).isEqualTo(Status.EXECUTED);
            assertThat(car.fleet(CommandActions.REFRESH, Map.of()).getStatus()).isEqualTo(Status.EXECUTED);
            assertRefusedForTheFleetKey(
                    car.fleet(CommandActions.CLIMATE_START, Map.of(CommandActions.TEMPERATURE_C, "21")));

            assertThat(car.actuated).containsExactly(CommandActions.WAKE, CommandActions.REFRESH);
        }
    }

    @Test
    void aFleetSignedRevocationWaitsForTheInCarConfirmationAndThenGivesTheFleetKeyBack() throws Exception {
        UserKey phone = UserKey.create("alice-phone");
        Map<String, String> revokePhone = Map.of(CommandActions.KEY_ID, "alice-phone");
        try (Car car = new Car().start()) {
            car.pair(phone);

            CommandResult declined = car.fleet(CommandActions.KEYS_REVOKE, revokePhone);
            assertThat(declined.getStatus()).isEqualTo(Status.FAILED);
            assertThat(declined.getReason()).isEqualTo(ActionOutcome.REVOCATION_DECLINED);
            assertThat(car.revocationPrompts).hasValue(1);
            assertThat(car.user(phone, CommandActions.DOORS_LOCK, Map.of()).getStatus())
                    .as("the user's key still works")
                    .isEqualTo(Status.EXECUTED);
            assertRefusedForTheFleetKey(car.fleet(CommandActions.DOORS_UNLOCK, Map.of()));

            car.approveRevocation.set(true);
            assertThat(car.fleet(CommandActions.KEYS_REVOKE, revokePhone).getStatus())
                    .isEqualTo(Status.EXECUTED);

            assertThat(car.revocationPrompts).hasValue(2);
            assertThat(car.user(phone, CommandActions.DOORS_UNLOCK, Map.of()).getReason())
                    .isEqualTo(RefusalReason.REVOKED_KEY.code());
            assertThat(car.fleet(CommandActions.DOORS_UNLOCK, Map.of()).getStatus())
                    .as("no user key is left: the fleet key works again")
                    .isEqualTo(Status.EXECUTED);
            assertThat(car.locked).isFalse();
        }
    }

    @Test
    void aUserSignedRevocationRunsWithoutAskingAndTheFleetKeyStaysRestrictedWhileAnyUserKeyIsLeft() throws Exception {
        UserKey phone = UserKey.create("alice-phone");
        UserKey watch = UserKey.create("alice-watch");
        try (Car car = new Car().start()) {
            car.pair(phone);
            car.pair(watch);

            assertThat(car.user(phone, CommandActions.KEYS_REVOKE, Map.of(CommandActions.KEY_ID, "alice-watch"))
                            .getStatus())
                    .isEqualTo(Status.EXECUTED);
            assertRefusedForTheFleetKey(car.fleet(CommandActions.DOORS_LOCK, Map.of()));
            assertThat(car.user(phone, CommandActions.KEYS_REVOKE, Map.of(CommandActions.KEY_ID, "alice-phone"))
                            .getStatus())
                    .as("a key may revoke itself")
                    .isEqualTo(Status.EXECUTED);

            assertThat(car.revocationPrompts).as("nobody in the car was asked").hasValue(0);
            assertThat(car.user(watch, CommandActions.DOORS_LOCK, Map.of()).getReason())
                    .isEqualTo(RefusalReason.REVOKED_KEY.code());
            assertThat(car.fleet(CommandActions.DOORS_LOCK, Map.of()).getStatus())
                    .isEqualTo(Status.EXECUTED);
            assertThat(car.actuated).containsExactly(CommandActions.DOORS_LOCK);
        }
    }

    private static void assertRefusedForTheFleetKey(CommandResult result) {
        assertThat(result.getStatus()).isEqualTo(Status.REFUSED);
        assertThat(result.getReason()).isEqualTo(RefusalReason.FLEET_KEY_NOT_PERMITTED.code());
        assertThat(result.getMessage()).contains("paired user key");
    }

    private VehicleAgent started(AgentConfig config) {
        VehicleAgent started = new VehicleAgent(config);
        started.start();
        Vin vin = config.vin();
        await().atMost(TIMEOUT)
                .until(() -> started.connected() && broker.subscribed(vin.value(), Topics.commands(vin)));
        return started;
    }
}
