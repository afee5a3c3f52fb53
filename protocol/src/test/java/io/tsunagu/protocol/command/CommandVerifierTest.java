package io.tsunagu.protocol.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandVerifier.Verification;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandEnvelope;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandVerifierTest {
    static final Vin CAR = Vin.of("1HGCM82633A004352");
    static final long NOW = 1_800_000_000_000L;

    final KeyPair fleet = CommandKeys.ed25519();
    final KeyPair user = CommandKeys.p256();
    final Map<String, PublicKey> trusted =
            new HashMap<>(Map.of("fleet-1", fleet.getPublic(), "user:alice", user.getPublic()));
    final Set<String> revoked = new HashSet<>();
    final Map<String, Long> counters = new HashMap<>();
    final Set<String> executed = new HashSet<>();
    final CommandVerifier verifier = new CommandVerifier(
            CAR,
            new CommandVerifier.TrustedKeys() {
                @Override
                public Optional<PublicKey> key(String keyId) {
                    return Optional.ofNullable(trusted.get(keyId));
                }

                @Override
                public boolean revoked(String keyId) {
                    return revoked.contains(keyId);
                }
            },
            new CommandVerifier.ReplayState() {
                @Override
                public long lastCounter(String keyId) {
                    return counters.getOrDefault(keyId, -1L);
                }

                @Override
                public boolean executed(String commandId) {
                    return executed.contains(commandId);
                }
            },
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    static CommandBody body(String id, long counter) {
        return CommandBody.newBuilder()
                .setVin(CAR.value())
                .setCommandId(id)
                .setAction("doors.lock")
                .setIssuedAtMs(NOW - 1000)
                .setExpiresAtMs(NOW + 60_000)
                .setCounter(counter)
                .build();
    }

    byte[] signedByFleet(CommandBody body) {
        return new CommandSigner("fleet-1", fleet.getPrivate()).sign(body).toByteArray();
    }

    @Test
    void acceptsACommandSignedByTheFleetKeyAndByAPairedP256UserKey() {
        assertThat(verifier.verify(signedByFleet(body("c1", 1)))).isInstanceOf(Verification.Accepted.class);
        byte[] byUser = new CommandSigner("user:alice", user.getPrivate())
                .sign(body("c2", 1))
                .toByteArray();
        assertThat(verifier.verify(byUser)).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void refusesEachKindOfBadEnvelopeWithItsReason() throws Exception {
        assertRefused(new byte[] {1, 2, 3}, RefusalReason.MALFORMED);
        CommandEnvelope signed = CommandEnvelope.parseFrom(signedByFleet(body("c1", 1)));
        assertRefused(signed.toBuilder().clearSignature().build().toByteArray(), RefusalReason.UNSIGNED);
        assertRefused(signed.toBuilder().setKeyId("stranger").build().toByteArray(), RefusalReason.UNKNOWN_KEY);
        byte[] tampered =
                body("c1", 1).toBuilder().setAction("doors.unlock").build().toByteArray();
        assertRefused(
                signed.toBuilder()
                        .setBody(ByteString.copyFrom(tampered))
                        .build()
                        .toByteArray(),
                RefusalReason.BAD_SIGNATURE);
        assertRefused(
                signed.toBuilder().setAlgorithm(CommandKeys.ECDSA_P256).build().toByteArray(),
                RefusalReason.UNSUPPORTED_ALGORITHM);
        assertRefused(
                signedByFleet(
                        body("c1", 1).toBuilder().setVin("5YJ3E1EA2KF317000").build()),
                RefusalReason.WRONG_VIN);
        assertRefused(
                signedByFleet(body("c1", 1).toBuilder().setExpiresAtMs(NOW).build()), RefusalReason.EXPIRED);
        revoked.add("fleet-1");
        assertRefused(signedByFleet(body("c1", 1)), RefusalReason.REVOKED_KEY);
    }

    @Test
    void aCounterNotAboveTheLastAcceptedOneIsAReplay() {
        counters.put("fleet-1", 5L);
        assertRefused(signedByFleet(body("c9", 5)), RefusalReason.REPLAYED);
        assertRefused(signedByFleet(body("c9", 4)), RefusalReason.REPLAYED);
        assertThat(verifier.verify(signedByFleet(body("c9", 6)))).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void aReDeliveredExecutedCommandIsADuplicateNotARefusalEvenAfterItExpired() {
        executed.add("c1");
        counters.put("fleet-1", 1L);

        Verification verdict = verifier.verify(
                signedByFleet(body("c1", 1).toBuilder().setExpiresAtMs(NOW - 1).build()));

        assertThat(verdict).isInstanceOf(Verification.Duplicate.class);
    }

    private void assertRefused(byte[] payload, RefusalReason reason) {
        Verification verdict = verifier.verify(payload);
        assertThat(verdict).isInstanceOf(Verification.Refused.class);
        assertThat(((Verification.Refused) verdict).reason())
                .as(((Verification.Refused) verdict).message())
                .isEqualTo(reason);
    }
}
