package io.tsunagu.server.command.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandVerifier;
import io.tsunagu.protocol.command.CommandVerifier.Verification;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandEnvelope;
import io.tsunagu.server.command.CommandException;
import io.tsunagu.server.command.PairedKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The edge check of envelopes a user signed on their own device, before the server stores and relays them unchanged.
 * It runs the car's own {@link CommandVerifier} with the car's paired keys as the trusted keys and the server's stored
 * commands as the replay memory, so what the server accepts the car would accept too (unless the car's state moved
 * on), and garbage is refused here instead of travelling to the car. On top it refuses fleet key ids (the fleet key
 * signs only on the server), unknown actions and invalid parameters, and command ids that are not UUIDs.
 *
 * <p>Error codes: {@code invalid_envelope}, {@code unsigned}, {@code fleet_key_not_allowed}, {@code key_not_paired},
 * {@code key_revoked},
 * {@code unsupported_algorithm}, {@code bad_signature}, {@code wrong_vin}, {@code invalid_expiry}, {@code
 * counter_not_increasing}, {@code unknown_action}, {@code invalid_param} (all 400) and {@code duplicate_command_id}
 * (409). Thread-safe.
 */
public final class SignedEnvelopes {
    /** An envelope that passed, parsed. */
    public record Checked(CommandEnvelope envelope, CommandBody body) {}

    private final PairedKeyStore paired;
    private final CommandStore commands;
    private final ActionCatalog catalog;
    private final String fleetKeyId;
    private final Clock clock;

    public SignedEnvelopes(
            PairedKeyStore paired, CommandStore commands, ActionCatalog catalog, String fleetKeyId, Clock clock) {
        this.paired = paired;
        this.commands = commands;
        this.catalog = catalog;
        this.fleetKeyId = fleetKeyId;
        this.clock = clock;
    }

    /** Checks {@code bytes} (a serialized {@code CommandEnvelope}) as a command for {@code vin}. */
    public Checked check(Vin vin, byte[] bytes) {
        CommandEnvelope envelope;
        try {
            envelope = CommandEnvelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw CommandException.invalid("invalid_envelope", "not a CommandEnvelope: " + e.getMessage());
        }
        String keyId = envelope.getKeyId();
        if (keyId.equals(fleetKeyId) || keyId.startsWith("fleet")) {
            throw CommandException.invalid(
                    "fleet_key_not_allowed",
                    "key '" + keyId + "' is a fleet key id; only the server signs with the fleet key"
                            + " (POST /commands); sign with a key paired through keys.pair");
        }
        Verification verdict = verifier(vin).verify(bytes);
        CommandBody body = switch (verdict) {
            case Verification.Accepted accepted -> accepted.body();
            case Verification.Duplicate duplicate ->
                throw new CommandException(
                        CommandException.Kind.CONFLICT,
                        "duplicate_command_id",
                        "command " + duplicate.body().getCommandId() + " exists already; a command id is used"
                                + " once (send the Idempotency-Key header to retry safely)");
            case Verification.Refused refused -> throw refusal(refused, keyId, vin);
        };
        checkCommandId(body.getCommandId());
        catalog.validate(body.getAction(), body.getParamsMap());
        return new Checked(envelope, body);
    }

    private CommandVerifier verifier(Vin vin) {
        return new CommandVerifier(
                vin,
                new CommandVerifier.TrustedKeys() {
                    @Override
                    public Optional<PublicKey> key(String keyId) {
                        return paired.find(vin, keyId)
                                .filter(k -> !k.revoked())
                                .map(k -> CommandKeys.decode(k.publicKey()));
                    }

                    @Override
                    public boolean revoked(String keyId) {
                        return paired.find(vin, keyId).map(PairedKey::revoked).orElse(false);
                    }
                },
                new CommandVerifier.ReplayState() {
                    @Override
                    public long lastCounter(String keyId) {
                        return commands.lastKeyCounter(vin, keyId);
                    }

                    @Override
                    public boolean executed(String commandId) {
                        return commands.find(commandId).isPresent();
                    }
                },
                clock);
    }

    private static CommandException refusal(Verification.Refused refused, String keyId, Vin vin) {
        String code = switch (refused.reason()) {
            case MALFORMED -> "invalid_envelope";
            case UNSIGNED -> "unsigned";
            case UNKNOWN_KEY -> "key_not_paired";
            case REVOKED_KEY -> "key_revoked";
            // The verifier never answers this (the policy runs after it, in the car); fleet key ids are refused above.
            case FLEET_KEY_NOT_PERMITTED -> "fleet_key_not_allowed";
            case UNSUPPORTED_ALGORITHM -> "unsupported_algorithm";
            case BAD_SIGNATURE -> "bad_signature";
            case WRONG_VIN -> "wrong_vin";
            case EXPIRED -> "invalid_expiry";
            case REPLAYED -> "counter_not_increasing";
        };
        String message = switch (refused.reason()) {
            case UNKNOWN_KEY ->
                "key '" + keyId + "' is not paired to " + vin + "; pair it with a keys.pair command the car confirms";
            case REVOKED_KEY -> "key '" + keyId + "' was revoked on " + vin + "; pair a new key under a new key id";
            case REPLAYED -> refused.message() + "; the signer must increase its counter for every command";
            default -> refused.message();
        };
        return CommandException.invalid(code, message);
    }

    private static void checkCommandId(String id) {
        try {
            if (id.length() == 36 && UUID.fromString(id).toString().equalsIgnoreCase(id)) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw CommandException.invalid("invalid_envelope", "command_id must be a UUID, got '" + id + "'");
    }
}
