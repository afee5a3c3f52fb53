package io.tsunagu.protocol.command;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandEnvelope;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Optional;

/**
 * The car's gate for commands. Checks, in order: the envelope parses; it is signed; the key is trusted and not
 * revoked; the algorithm fits the key; the signature verifies over the body bytes; the body is for this VIN; the
 * command id was not executed before (a re-delivery answers {@link Verification.Duplicate}, so the car re-reports
 * instead of re-executing); it has not expired; its counter is above the last one accepted for the key.
 *
 * <p>The verifier only reads the replay state; the caller records the id and counter durably before executing.
 */
public final class CommandVerifier {

    /** Keys the car trusts, by key id. */
    public interface TrustedKeys {
        Optional<PublicKey> key(String keyId);

        /** True for a key that was trusted and has been revoked. */
        boolean revoked(String keyId);
    }

    /** What the car remembers across restarts. */
    public interface ReplayState {
        /** Highest counter accepted for the key, or -1 if none (counters are 0 .. 2^63-1). */
        long lastCounter(String keyId);

        boolean executed(String commandId);
    }

    /** The verdict on one envelope. */
    public sealed interface Verification {
        /** Execute it. */
        record Accepted(String keyId, CommandBody body) implements Verification {}

        /** Already executed: report the earlier result again, do not execute. */
        record Duplicate(CommandBody body) implements Verification {}

        /** Do not execute; {@code commandId} is known when the body could be read. */
        record Refused(RefusalReason reason, String message, Optional<String> commandId) implements Verification {}
    }

    private final Vin vin;
    private final TrustedKeys keys;
    private final ReplayState replay;
    private final Clock clock;

    public CommandVerifier(Vin vin, TrustedKeys keys, ReplayState replay, Clock clock) {
        this.vin = vin;
        this.keys = keys;
        this.replay = replay;
        this.clock = clock;
    }

    public Verification verify(byte[] payload) {
        CommandEnvelope envelope;
        try {
            envelope = CommandEnvelope.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return refuse(RefusalReason.MALFORMED, "not a command envelope: " + e.getMessage(), Optional.empty());
        }
        if (envelope.getSignature().isEmpty() || envelope.getKeyId().isEmpty()) {
            return refuse(RefusalReason.UNSIGNED, "command carries no signature or key id", Optional.empty());
        }
        String keyId = envelope.getKeyId();
        if (keys.revoked(keyId)) {
            return refuse(RefusalReason.REVOKED_KEY, "key '" + keyId + "' is revoked", Optional.empty());
        }
        Optional<PublicKey> key = keys.key(keyId);
        if (key.isEmpty()) {
            return refuse(
                    RefusalReason.UNKNOWN_KEY, "key '" + keyId + "' is not trusted by this car", Optional.empty());
        }
        Verification signatureProblem = checkSignature(envelope, key.get());
        if (signatureProblem != null) {
            return signatureProblem;
        }
        CommandBody body;
        try {
            body = CommandBody.parseFrom(envelope.getBody());
        } catch (InvalidProtocolBufferException e) {
            return refuse(RefusalReason.MALFORMED, "signed body does not parse: " + e.getMessage(), Optional.empty());
        }
        return checkBody(keyId, body);
    }

    private Verification checkSignature(CommandEnvelope envelope, PublicKey key) {
        String expected;
        try {
            expected = CommandKeys.signatureAlgorithm(key);
        } catch (RuntimeException e) {
            return refuse(RefusalReason.UNSUPPORTED_ALGORITHM, e.getMessage(), Optional.empty());
        }
        if (!expected.equals(envelope.getAlgorithm())) {
            return refuse(
                    RefusalReason.UNSUPPORTED_ALGORITHM,
                    "algorithm '" + envelope.getAlgorithm() + "' does not fit key '" + envelope.getKeyId() + "' ("
                            + expected + ")",
                    Optional.empty());
        }
        try {
            Signature signature = Signature.getInstance(expected);
            signature.initVerify(key);
            signature.update(envelope.getBody().toByteArray());
            if (signature.verify(envelope.getSignature().toByteArray())) {
                return null;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // A malformed signature (e.g. bad DER) is a bad signature.
        }
        return refuse(
                RefusalReason.BAD_SIGNATURE,
                "signature does not verify with key '" + envelope.getKeyId() + "'",
                Optional.empty());
    }

    private Verification checkBody(String keyId, CommandBody body) {
        Optional<String> id = Optional.of(body.getCommandId()).filter(s -> !s.isEmpty());
        if (!vin.value().equals(body.getVin())) {
            return refuse(
                    RefusalReason.WRONG_VIN, "command is for VIN '" + body.getVin() + "', this car is " + vin, id);
        }
        if (id.isEmpty()) {
            return refuse(RefusalReason.MALFORMED, "command has no id", id);
        }
        if (body.getCounter() < 0) {
            // uint64 on the wire; counters of 2^63 and above would read as "no counter yet" below.
            return refuse(
                    RefusalReason.MALFORMED,
                    "counter " + Long.toUnsignedString(body.getCounter()) + " is out of range (must be below 2^63)",
                    id);
        }
        if (replay.executed(body.getCommandId())) {
            return new Verification.Duplicate(body);
        }
        long now = clock.millis();
        if (body.getExpiresAtMs() <= now) {
            return refuse(
                    RefusalReason.EXPIRED, "command expired at " + body.getExpiresAtMs() + " (now " + now + ")", id);
        }
        long last = replay.lastCounter(keyId);
        if (body.getCounter() <= last) {
            return refuse(
                    RefusalReason.REPLAYED,
                    "counter " + Long.toUnsignedString(body.getCounter()) + " is not above " + last + " for key '"
                            + keyId + "'",
                    id);
        }
        return new Verification.Accepted(keyId, body);
    }

    private static Verification refuse(RefusalReason reason, String message, Optional<String> commandId) {
        return new Verification.Refused(reason, message, commandId);
    }
}
