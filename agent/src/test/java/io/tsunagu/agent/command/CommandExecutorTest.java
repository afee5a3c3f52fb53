package io.tsunagu.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The executor against a real command store file, a recording publisher and recording actuators. */
class CommandExecutorTest {
    static final Vin VIN = Vin.of("1HGCM82633A004352");
    static final long NOW = 1_767_225_600_000L;
    static final KeyPair FLEET = CommandKeys.ed25519();
    static final CommandSigner FLEET_SIGNER = new CommandSigner("fleet-1", FLEET.getPrivate());

    @TempDir
    Path dir;

    final List<CommandResult> published = new CopyOnWriteArrayList<>();
    final List<String> actions = new CopyOnWriteArrayList<>();
    boolean online = true;
    boolean approvePairing = true;
    boolean approveRevocation = true;
    CommandStore store;
    CommandExecutor executor;

    @BeforeEach
    void open() {
        reopen();
    }

    @AfterEach
    void close() {
        executor.close();
    }

    void reopen() {
        store = CommandStore.open(dir.resolve("car.commands.mv.db"), 100);
        executor = new CommandExecutor(
                VIN,
                store,
                Map.of("fleet-1", FLEET.getPublic()),
                (action, params) -> {
                    actions.add(action);
                    return ActionOutcome.executed();
                },
                keyId -> approvePairing,
                keyId -> approveRevocation,
                result -> {
                    published.add(result);
                    return online
                            ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.failedFuture(new IllegalStateException("offline"));
                },
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                Runnable::run);
    }

    static CommandBody.Builder body(String id, String action, long counter) {
        return CommandBody.newBuilder()
                .setVin(VIN.value())
                .setCommandId(id)
                .setAction(action)
                .setIssuedAtMs(NOW - 1_000)
                .setExpiresAtMs(NOW + 60_000)
                .setCounter(counter);
    }

    static byte[] signed(CommandBody.Builder body) {
        return FLEET_SIGNER.sign(body.build()).toByteArray();
    }

    List<CommandResult> resultsOf(String id) {
        return published.stream().filter(r -> r.getCommandId().equals(id)).toList();
    }

    @Test
    void reportsDeliveredThenExecutedForAValidFleetCommand() {
        executor.handle(signed(body("c1", "doors.lock", 1)));

        assertThat(actions).containsExactly("doors.lock");
        assertThat(resultsOf("c1"))
                .extracting(CommandResult::getStatus)
                .containsExactly(Status.DELIVERED, Status.EXECUTED);
        assertThat(store.pending()).isEmpty();
        assertThat(store.lastCounter("fleet-1")).isEqualTo(1);
    }

    static Stream<Arguments> refusals() {
        KeyPair stranger = CommandKeys.ed25519();
        Function<CommandBody.Builder, byte[]> unsigned = b -> CommandEnvelope.newBuilder()
                .setBody(b.build().toByteString())
                .setKeyId("fleet-1")
                .setAlgorithm(CommandKeys.ED25519)
                .build()
                .toByteArray();
        Function<CommandBody.Builder, byte[]> wrongKey = b -> new CommandSigner("fleet-1", stranger.getPrivate())
                .sign(b.build())
                .toByteArray();
        Function<CommandBody.Builder, byte[]> tampered = b -> {
            CommandEnvelope good = FLEET_SIGNER.sign(b.build());
            byte[] body = good.getBody().toByteArray();
            body[body.length - 1] ^= 1;
            return good.toBuilder().setBody(ByteString.copyFrom(body)).build().toByteArray();
        };
        Function<CommandBody.Builder, byte[]> unknownKey = b -> new CommandSigner("fleet-2", stranger.getPrivate())
                .sign(b.build())
                .toByteArray();
        return Stream.of(
                Arguments.of(RefusalReason.UNSIGNED, unsigned, body("r", "doors.lock", 5)),
                Arguments.of(RefusalReason.BAD_SIGNATURE, wrongKey, body("r", "doors.lock", 5)),
                Arguments.of(RefusalReason.BAD_SIGNATURE, tampered, body("r", "doors.lock", 5)),
                Arguments.of(RefusalReason.UNKNOWN_KEY, unknownKey, body("r", "doors.lock", 5)),
                Arguments.of(
                        RefusalReason.WRONG_VIN,
                        (Function<CommandBody.Builder, byte[]>) CommandExecutorTest::signed,
                        body("r", "doors.lock", 5).setVin("5YJ3E1EA2KF317000")),
                Arguments.of(
                        RefusalReason.EXPIRED,
                        (Function<CommandBody.Builder, byte[]>) CommandExecutorTest::signed,
                        body("r", "doors.lock", 5).setExpiresAtMs(NOW)));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWithTheReasonCodeAndNeverExecutes(
            RefusalReason reason, Function<CommandBody.Builder, byte[]> encode, CommandBody.Builder body) {
        executor.handle(encode.apply(body));

        assertThat(actions).isEmpty();
        assertThat(published).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(Status.REFUSED);
            assertThat(r.getReason()).isEqualTo(reason.code());
            assertThat(r.getCommandId()).isEqualTo("r");
        });
        assertThat(store.executed("r")).isFalse();
    }

    @Test
    void refusesAReplayedCounterForANewCommandId() {
        executor.handle(signed(body("c1", "doors.lock", 7)));
        executor.handle(signed(body("c2", "doors.unlock", 7)));
        executor.handle(signed(body("c3", "doors.unlock", 6)));

        assertThat(actions).containsExactly("doors.lock");
        assertThat(resultsOf("c2"))
                .singleElement()
                .extracting(CommandResult::getReason)
                .isEqualTo("replayed");
        assertThat(resultsOf("c3"))
                .singleElement()
                .extracting(CommandResult::getReason)
                .isEqualTo("replayed");
    }

    @Test
    void refusesACounterOfTwoToTheSixtyThreeOrMoreThatWouldDisableTheReplayCheck() {
        executor.handle(signed(body("big", "doors.unlock", Long.MIN_VALUE)));
        executor.handle(signed(body("c1", "doors.unlock", 1)));

        assertThat(resultsOf("big"))
                .singleElement()
                .extracting(CommandResult::getReason)
                .isEqualTo("malformed");
        assertThat(resultsOf("c1")).last().extracting(CommandResult::getStatus).isEqualTo(Status.EXECUTED);
        assertThat(actions).containsExactly("doors.unlock");
    }

    @Test
    void refusesGarbageAsMalformedWithoutACommandId() {
        executor.handle(new byte[] {(byte) 0xFF, 0x01, 0x02});

        assertThat(published).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo("malformed");
            assertThat(r.getCommandId()).isEmpty();
        });
    }

    @Test
    void executesADuplicateDeliveryOnceAndReReportsTheStoredResult() {
        byte[] envelope = signed(body("c1", "horn_lights.flash", 1));
        executor.handle(envelope);
        executor.handle(envelope); // the broker re-delivers: the PUBACK for the first delivery was lost

        assertThat(actions).containsExactly("horn_lights.flash");
        assertThat(resultsOf("c1"))
                .extracting(CommandResult::getStatus)
                .containsExactly(Status.DELIVERED, Status.EXECUTED, Status.EXECUTED);
        assertThat(resultsOf("c1").get(2)).isEqualTo(resultsOf("c1").get(1));
    }

    @Test
    void remembersExecutedIdsAcrossARestart() {
        byte[] envelope = signed(body("c1", "doors.lock", 1));
        executor.handle(envelope);
        executor.close();

        reopen();
        executor.handle(envelope);

        assertThat(actions).containsExactly("doors.lock");
        assertThat(resultsOf("c1")).extracting(CommandResult::getStatus).endsWith(Status.EXECUTED, Status.EXECUTED);
    }

    @Test
    void reportsACommandCutShortByACrashAsInterruptedAndNeverRunsIt() {
        store.begin(
                "fleet-1",
                3,
                CommandResult.newBuilder()
                        .setCommandId("c3")
                        .setStatus(Status.DELIVERED)
                        .build());
        executor.close(); // the process died while c3 ran

        reopen();
        executor.handle(signed(body("c3", "climate.start", 3)));

        assertThat(actions).isEmpty();
        assertThat(resultsOf("c3")).hasSize(2).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(Status.FAILED);
            assertThat(r.getReason()).isEqualTo(ActionOutcome.INTERRUPTED);
        });
    }

    @Test
    void keepsResultsWhileOfflineAndPublishesThemAgainAfterReconnect() {
        online = false;
        executor.handle(signed(body("c1", "doors.lock", 1)));
        executor.handle(signed(body("c2", "doors.unlock", 2)));
        assertThat(store.pending()).hasSize(2);
        executor.close();

        reopen(); // restarts keep them too
        published.clear();
        online = true;
        executor.republishPending();

        assertThat(published)
                .extracting(CommandResult::getCommandId, CommandResult::getStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("c1", Status.EXECUTED),
                        org.assertj.core.groups.Tuple.tuple("c2", Status.EXECUTED));
        assertThat(store.pending()).isEmpty();
        assertThat(actions).containsExactly("doors.lock", "doors.unlock");
    }

    @Test
    void forgetsTheOldestIdsBeyondTheBoundButStillNeverRunsThemTwice() {
        List<byte[]> envelopes = new ArrayList<>();
        for (int i = 1; i <= 105; i++) {
            envelopes.add(signed(body("c" + i, "wake", i)));
            executor.handle(envelopes.getLast());
        }
        assertThat(store.executed("c1")).isFalse();
        assertThat(store.executed("c105")).isTrue();

        executor.handle(envelopes.getFirst());

        assertThat(actions).hasSize(105);
        assertThat(resultsOf("c1")).last().extracting(CommandResult::getReason).isEqualTo("replayed");
    }

    @Test
    void pairedUserKeysSignCommandsTheCarAccepts() {
        for (KeyPair user : List.of(CommandKeys.p256(), CommandKeys.ed25519())) {
            String keyId = "user:alice:" + user.getPublic().getAlgorithm();
            long counter = store.lastCounter("fleet-1") + 1;
            executor.handle(signed(body("pair-" + keyId, "keys.pair", counter)
                    .putParams("key_id", keyId)
                    .putParams("public_key", CommandKeys.encode(user.getPublic()))));
            CommandSigner phone = new CommandSigner(keyId, user.getPrivate());

            executor.handle(
                    phone.sign(body("u-" + keyId, "doors.unlock", 1).build()).toByteArray());

            assertThat(resultsOf("pair-" + keyId))
                    .last()
                    .extracting(CommandResult::getStatus)
                    .isEqualTo(Status.EXECUTED);
            assertThat(resultsOf("u-" + keyId))
                    .last()
                    .extracting(CommandResult::getStatus)
                    .isEqualTo(Status.EXECUTED);
        }
        assertThat(actions).containsExactly("doors.unlock", "doors.unlock");
    }

    @Test
    void declinedPairingFailsAndTheKeyStaysUnknown() {
        approvePairing = false;
        KeyPair user = CommandKeys.ed25519();
        executor.handle(signed(body("pair", "keys.pair", 1)
                .putParams("key_id", "user:bob:1")
                .putParams("public_key", CommandKeys.encode(user.getPublic()))));

        executor.handle(new CommandSigner("user:bob:1", user.getPrivate())
                .sign(body("u1", "doors.unlock", 1).build())
                .toByteArray());

        assertThat(resultsOf("pair")).last().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(Status.FAILED);
            assertThat(r.getReason()).isEqualTo(ActionOutcome.PAIRING_DECLINED);
        });
        assertThat(resultsOf("u1"))
                .singleElement()
                .extracting(CommandResult::getReason)
                .isEqualTo("unknown_key");
        assertThat(actions).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedForGoodAndCannotBePairedAgain() {
        KeyPair user = CommandKeys.ed25519();
        String key = CommandKeys.encode(user.getPublic());
        CommandSigner phone = new CommandSigner("user:carol:1", user.getPrivate());
        executor.handle(signed(
                body("pair", "keys.pair", 1).putParams("key_id", "user:carol:1").putParams("public_key", key)));
        executor.handle(phone.sign(body("u1", "wake", 1).build()).toByteArray());
        executor.handle(signed(body("revoke", "keys.revoke", 2).putParams("key_id", "user:carol:1")));

        executor.handle(phone.sign(body("u2", "wake", 2).build()).toByteArray());
        executor.handle(signed(body("pair-again", "keys.pair", 3)
                .putParams("key_id", "user:carol:1")
                .putParams("public_key", key)));

        assertThat(resultsOf("revoke"))
                .last()
                .extracting(CommandResult::getStatus)
                .isEqualTo(Status.EXECUTED);
        assertThat(resultsOf("u2"))
                .singleElement()
                .extracting(CommandResult::getReason)
                .isEqualTo("revoked_key");
        assertThat(resultsOf("pair-again"))
                .last()
                .extracting(CommandResult::getReason)
                .isEqualTo("key_revoked");
        assertThat(actions).containsExactly("wake");
    }

    @Test
    void aFleetCommandRefusedForAPairedCarUsesUpNeitherItsIdNorItsCounter() {
        KeyPair user = CommandKeys.ed25519();
        executor.handle(signed(body("pair", "keys.pair", 1)
                .putParams("key_id", "user:dave:1")
                .putParams("public_key", CommandKeys.encode(user.getPublic()))));
        byte[] unlock = signed(body("u1", "doors.unlock", 2));

        executor.handle(unlock);
        executor.handle(unlock);

        assertThat(resultsOf("u1")).hasSize(2).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(Status.REFUSED);
            assertThat(r.getReason()).isEqualTo(RefusalReason.FLEET_KEY_NOT_PERMITTED.code());
        });
        assertThat(store.executed("u1")).isFalse();
        assertThat(store.lastCounter("fleet-1")).isEqualTo(1);
        assertThat(actions).isEmpty();
    }

    @Test
    void theFleetKeyCannotBeRevokedOrShadowedByAPairing() {
        executor.handle(signed(body("revoke", "keys.revoke", 1).putParams("key_id", "fleet-1")));
        executor.handle(signed(body("pair", "keys.pair", 2)
                .putParams("key_id", "fleet-1")
                .putParams(
                        "public_key", CommandKeys.encode(CommandKeys.ed25519().getPublic()))));
        executor.handle(signed(body("still", "wake", 3)));

        assertThat(resultsOf("revoke"))
                .last()
                .extracting(CommandResult::getReason)
                .isEqualTo("not_revocable");
        assertThat(resultsOf("pair"))
                .last()
                .extracting(CommandResult::getReason)
                .isEqualTo("key_id_taken");
        assertThat(resultsOf("still"))
                .last()
                .extracting(CommandResult::getStatus)
                .isEqualTo(Status.EXECUTED);
    }

    @Test
    void anActuatorThatThrowsIsReportedFailedAndNotRunAgain() {
        executor.close();
        store = CommandStore.open(dir.resolve("other.mv.db"), 100);
        executor = new CommandExecutor(
                VIN,
                store,
                Map.of("fleet-1", FLEET.getPublic()),
                (action, params) -> {
                    actions.add(action);
                    throw new IllegalStateException("CAN bus timeout");
                },
                PairingConfirmation.DECLINE,
                RevocationConfirmation.DECLINE,
                result -> {
                    published.add(result);
                    return CompletableFuture.completedFuture(null);
                },
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                Runnable::run);
        byte[] envelope = signed(body("c1", "doors.lock", 1));
        executor.submit(envelope);
        executor.submit(envelope);

        assertThat(actions).containsExactly("doors.lock");
        assertThat(resultsOf("c1")).last().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(Status.FAILED);
            assertThat(r.getReason()).isEqualTo(ActionOutcome.ACTUATOR_ERROR);
        });
    }
}
