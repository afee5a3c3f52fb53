package io.tsunagu.server.command.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.server.command.AuditLog;
import io.tsunagu.server.command.Command;
import io.tsunagu.server.command.CommandState;
import io.tsunagu.server.command.PairedKey;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.metadata.MetadataException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command tables on embedded H2; {@link PostgresCommandStoreTest} runs the same tests on PostgreSQL. */
class CommandStoreTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    MetadataDatabase db;
    CommandStore store;
    Vin vin;

    MetadataDatabase openDatabase() {
        return MetadataDatabase.embedded(dir);
    }

    @BeforeEach
    void open() {
        db = openDatabase();
        store = new CommandStore(db.dataSource());
        vin = io.tsunagu.server.testing.TestVins.northAmerican("1TSUSTRX", 1);
        new VehicleRegistry(db.dataSource(), Clock.systemUTC()).register(vin, "Test EV", "alice", Set.of());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void insertAllocatesIncreasingCountersAndKeepsTheEnvelopeBytes() {
        Command first = insert("doors.lock", Optional.empty(), T0.plus(2, ChronoUnit.MINUTES));
        Command second = insert("doors.unlock", Optional.empty(), T0.plus(2, ChronoUnit.MINUTES));

        assertThat(second.seq()).isGreaterThan(first.seq());
        assertThat(second.keyCounter()).isGreaterThan(first.keyCounter());
        assertThat(first.state()).isEqualTo(CommandState.QUEUED);
        assertThat(first.createdAt()).isEqualTo(T0);
        var pending = store.pending(vin, EnumSet.of(CommandState.QUEUED));
        assertThat(pending).extracting(p -> p.command().id()).containsExactly(first.id(), second.id());
        assertThat(pending.getFirst().envelope()).containsExactly(envelope(first.seq(), first.keyCounter()));
    }

    @Test
    void transitionsAreConditionalAndStampTheirTime() {
        Command command = insert("doors.lock", Optional.empty(), T0.plus(2, ChronoUnit.MINUTES));
        Set<CommandState> unacknowledged = EnumSet.of(CommandState.QUEUED, CommandState.SENT);

        Command sent = store.transition(
                        command.id(),
                        unacknowledged,
                        CommandState.SENT,
                        T0.plusSeconds(1),
                        Optional.empty(),
                        Optional.empty())
                .orElseThrow();
        Command executed = store.transition(
                        command.id(),
                        EnumSet.allOf(CommandState.class),
                        CommandState.EXECUTED,
                        T0.plusSeconds(3),
                        Optional.empty(),
                        Optional.empty())
                .orElseThrow();
        Optional<Command> cancelled = store.transition(
                command.id(),
                unacknowledged,
                CommandState.CANCELLED,
                T0.plusSeconds(4),
                Optional.empty(),
                Optional.empty());

        assertThat(sent.attempts()).isEqualTo(1);
        assertThat(sent.sentAt()).contains(T0.plusSeconds(1));
        assertThat(executed.finishedAt()).contains(T0.plusSeconds(3));
        assertThat(executed.deliveredAt())
                .as("filled in when the car skipped 'delivered'")
                .contains(T0.plusSeconds(3));
        assertThat(cancelled).isEmpty();
        assertThat(store.find(command.id()).orElseThrow().state()).isEqualTo(CommandState.EXECUTED);
    }

    @Test
    void anIdempotencyKeyIsUniquePerCaller() {
        insert("doors.lock", Optional.of("k"), T0.plusSeconds(60));

        assertThatThrownBy(() -> insert("doors.lock", Optional.of("k"), T0.plusSeconds(60)))
                .isInstanceOfSatisfying(
                        MetadataException.class,
                        e -> assertThat(CommandStore.isDuplicate(e)).isTrue());
        assertThat(store.findByIdempotencyKey("alice", "k")).isPresent();
        assertThat(store.findByIdempotencyKey("bob", "k")).isEmpty();
    }

    @Test
    void expiredByFindsOnlyDueCommandsInTheGivenStates() {
        Command due = insert("doors.lock", Optional.empty(), T0.plusSeconds(10));
        insert("doors.lock", Optional.empty(), T0.plusSeconds(100));

        assertThat(store.expiredBy(T0.plusSeconds(10), EnumSet.of(CommandState.QUEUED)))
                .extracting(Command::id)
                .containsExactly(due.id());
    }

    @Test
    void theAuditLogListsNewestFirst() {
        Command command = insert("doors.lock", Optional.empty(), T0.plusSeconds(60));
        AuditLog audit = new AuditLog(db.dataSource(), Clock.systemUTC());

        audit.record("alice", command, "queued");
        audit.record(AuditLog.car(vin), command, "executed");

        assertThat(audit.list(Optional.of(vin), 10))
                .extracting(AuditLog.Entry::outcome)
                .containsExactly("executed", "queued");
        assertThat(audit.list(Optional.empty(), 1)).hasSize(1);
    }

    @Test
    void aSignedInsertKeepsTheSignersCounterAndTheEnvelopeAndStillTakesItsPlaceInTheCarsOrder() {
        Command fleet = insert("doors.lock", Optional.empty(), T0.plusSeconds(60));
        CommandStore.NewCommand signed = new CommandStore.NewCommand(
                UUID.randomUUID().toString(),
                vin,
                "doors.unlock",
                Map.of(),
                "alice",
                Optional.empty(),
                "1".repeat(64),
                "alice-phone",
                T0,
                T0.plusSeconds(60));

        Command stored = store.insertSigned(signed, 41, new byte[] {7, 7});

        assertThat(stored.keyId()).isEqualTo("alice-phone");
        assertThat(stored.keyCounter()).isEqualTo(41);
        assertThat(stored.seq()).isGreaterThan(fleet.seq());
        assertThat(store.lastKeyCounter(vin, "alice-phone")).isEqualTo(41);
        assertThat(store.lastKeyCounter(vin, "nobody")).isEqualTo(-1);
        assertThat(store.pending(vin, EnumSet.of(CommandState.QUEUED)).getLast().envelope())
                .containsExactly(7, 7);
    }

    @Test
    void aKeyIdIsPairedOnceAndTheFirstPairingIsKept() {
        PairedKeyStore paired = new PairedKeyStore(db.dataSource());
        String first = CommandKeys.encode(CommandKeys.ed25519().getPublic());
        String other = CommandKeys.encode(CommandKeys.p256().getPublic());

        assertThat(paired.pair(vin, "alice-phone", first, "c-1", T0)).isTrue();
        assertThat(paired.pair(vin, "alice-phone", other, "c-2", T0.plusSeconds(1)))
                .isFalse();
        assertThat(paired.pair(vin, "alice-watch", other, "c-3", T0.plusSeconds(2)))
                .isTrue();

        assertThat(paired.list(vin))
                .extracting(k -> k.keyId() + " " + k.algorithm() + " " + k.commandId())
                .containsExactly("alice-phone Ed25519 c-1", "alice-watch SHA256withECDSA c-3");
        assertThat(paired.find(vin, "alice-phone").orElseThrow().publicKey()).isEqualTo(first);
        assertThat(paired.find(vin, "alice-phone").orElseThrow().pairedAt()).isEqualTo(T0);
        assertThat(paired.find(vin, "bob-phone")).isEmpty();
    }

    @Test
    void aRevokedKeyStaysListedNoLongerCountsAsActiveAndIsNotPairedAgain() {
        PairedKeyStore paired = new PairedKeyStore(db.dataSource());
        String key = CommandKeys.encode(CommandKeys.ed25519().getPublic());
        assertThat(paired.hasActive(vin)).isFalse();
        paired.pair(vin, "alice-phone", key, "c-1", T0);
        paired.pair(vin, "alice-watch", key, "c-2", T0.plusSeconds(1));

        assertThat(paired.revoke(vin, "alice-phone", "r-1", T0.plusSeconds(10))).isTrue();
        assertThat(paired.revoke(vin, "alice-phone", "r-2", T0.plusSeconds(20)))
                .as("a repeated report keeps the first revocation")
                .isFalse();
        assertThat(paired.revoke(vin, "nobody", "r-3", T0)).isFalse();
        assertThat(paired.hasActive(vin)).as("alice-watch is still paired").isTrue();
        assertThat(paired.revoke(vin, "alice-watch", "r-4", T0.plusSeconds(30))).isTrue();

        assertThat(paired.hasActive(vin)).isFalse();
        assertThat(paired.pair(vin, "alice-phone", key, "c-5", T0.plusSeconds(40)))
                .isFalse();
        PairedKey phone = paired.find(vin, "alice-phone").orElseThrow();
        assertThat(phone.state()).isEqualTo("revoked");
        assertThat(phone.revokedAt()).contains(T0.plusSeconds(10));
        assertThat(phone.revokeCommandId()).contains("r-1");
        assertThat(phone.commandId()).isEqualTo("c-1");
        assertThat(paired.list(vin)).extracting(PairedKey::keyId).containsExactly("alice-phone", "alice-watch");
    }

    private Command insert(String action, Optional<String> idempotencyKey, Instant expiresAt) {
        CommandStore.NewCommand command = new CommandStore.NewCommand(
                UUID.randomUUID().toString(),
                vin,
                action,
                Map.of(),
                "alice",
                idempotencyKey,
                "0".repeat(64),
                "fleet-1",
                T0,
                expiresAt);
        return store.insert(command, counters -> envelope(counters.seq(), counters.keyCounter()));
    }

    private static byte[] envelope(long seq, long counter) {
        return new byte[] {0, (byte) seq, (byte) counter, (byte) 0xff};
    }
}
