package io.tsunagu.server.command.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.FleetKeyPolicy;
import io.tsunagu.server.command.Command;
import io.tsunagu.server.command.CommandException;
import io.tsunagu.server.command.CommandState;
import io.tsunagu.server.command.PairedKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a car's {@code executed} result of a key command to {@code paired_keys}: {@code keys.pair} records the key
 * as paired, {@code keys.revoke} marks it revoked. Only the car's report counts, never the server's own request: the
 * car decides (after its in-car confirmation), the server follows. Called on the car's delivery stripe.
 *
 * <p>Once a key is paired the car refuses fleet-signed commands its {@link FleetKeyPolicy} no longer permits, so such
 * commands still queued for it are cancelled here (reason {@code user_signature_required}) instead of being sent only
 * to be refused. A command already sent is left to the car's answer: the envelope cannot be recalled.
 */
public final class KeyChanges {
    static final String KEYS_PAIR = "keys.pair";
    static final String KEYS_REVOKE = "keys.revoke";
    private static final Logger LOG = LoggerFactory.getLogger(KeyChanges.class);

    private final PairedKeyStore pairedKeys;
    private final CommandStore commands;
    private final String fleetKeyId;
    private final Clock clock;

    public KeyChanges(PairedKeyStore pairedKeys, CommandStore commands, String fleetKeyId, Clock clock) {
        this.pairedKeys = pairedKeys;
        this.commands = commands;
        this.fleetKeyId = fleetKeyId;
        this.clock = clock;
    }

    /**
     * The car's pairing rule, applied early to the server's record of the car's keys so that the caller gets a clear
     * answer instead of the car's refusal: a key id names one key for good, so a {@code keys.pair} may not reuse a
     * revoked id ({@code key_id_revoked}) nor an id paired with another key ({@code key_id_taken}); pairing the same key
     * under its id again stays allowed (the car answers "already paired"). The car still enforces this by itself.
     * Does nothing for other actions.
     *
     * @param params the command's validated parameters
     * @throws CommandException conflict {@code key_id_revoked} or {@code key_id_taken}
     */
    public void checkPairable(Vin vin, String action, Map<String, String> params) {
        String keyId = params.getOrDefault("key_id", "").strip();
        if (!KEYS_PAIR.equals(action) || keyId.isEmpty()) {
            return;
        }
        Optional<PairedKey> known = pairedKeys.find(vin, keyId);
        if (known.isEmpty()) {
            return;
        }
        if (known.get().revoked()) {
            throw new CommandException(
                    CommandException.Kind.CONFLICT,
                    "key_id_revoked",
                    "key '" + keyId + "' of " + vin + " was revoked at "
                            + known.get().revokedAt().orElseThrow()
                            + "; a revoked key id is never paired again, pair the key under a new id");
        }
        if (!sameKey(known.get().publicKey(), params.getOrDefault("public_key", ""))) {
            throw new CommandException(
                    CommandException.Kind.CONFLICT,
                    "key_id_taken",
                    "another key is paired to " + vin + " as '" + keyId + "'; pair the new key under a new id");
        }
    }

    private static boolean sameKey(String paired, String requested) {
        return CommandKeys.encode(CommandKeys.decode(paired.strip()))
                .equals(CommandKeys.encode(CommandKeys.decode(requested.strip())));
    }

    /**
     * The car reported {@code command} executed; does nothing for actions other than {@code keys.*}.
     *
     * @return the fleet-signed commands this cancelled because a new pairing put them out of the fleet key's reach
     */
    public List<Command> executed(Command command) {
        switch (command.action()) {
            case KEYS_PAIR -> {
                return paired(command) ? cancelFleetCommandsNoLongerPermitted(command.vin()) : List.of();
            }
            case KEYS_REVOKE -> revoked(command);
            default -> {
                // not a key command
            }
        }
        return List.of();
    }

    private boolean paired(Command command) {
        Optional<String> keyId = param(command, "key_id");
        Optional<String> publicKey = param(command, "public_key");
        if (keyId.isPresent()
                && publicKey.isPresent()
                && pairedKeys.pair(command.vin(), keyId.get(), publicKey.get(), command.id(), clock.instant())) {
            LOG.info("command key '{}' paired to {} (command {})", keyId.get(), command.vin(), command.id());
            return true;
        }
        return false;
    }

    private List<Command> cancelFleetCommandsNoLongerPermitted(Vin vin) {
        List<Command> cancelled = new ArrayList<>();
        for (CommandStore.Pending pending : commands.pending(vin, EnumSet.of(CommandState.QUEUED))) {
            Command queued = pending.command();
            if (queued.keyId().equals(fleetKeyId) && !FleetKeyPolicy.permits(queued.action(), true)) {
                commands.transition(
                                queued.id(),
                                EnumSet.of(CommandState.QUEUED),
                                CommandState.CANCELLED,
                                clock.instant(),
                                Optional.of("user_signature_required"),
                                Optional.of("the car paired a user key before this fleet-signed command was sent;"
                                        + " sign it on the user's device"))
                        .ifPresent(cancelled::add);
            }
        }
        if (!cancelled.isEmpty()) {
            LOG.info(
                    "{} paired a user key: {} queued fleet-signed command(s) cancelled (user_signature_required)",
                    vin,
                    cancelled.size());
        }
        return cancelled;
    }

    private void revoked(Command command) {
        Optional<String> keyId = param(command, "key_id");
        if (keyId.isEmpty()) {
            return;
        }
        if (pairedKeys.revoke(command.vin(), keyId.get(), command.id(), clock.instant())) {
            LOG.info("command key '{}' of {} revoked (command {})", keyId.get(), command.vin(), command.id());
        } else {
            // Already revoked (a repeated report), or a key the server never recorded as paired.
            LOG.info(
                    "{} reported key '{}' revoked (command {}); no paired key changed",
                    command.vin(),
                    keyId.get(),
                    command.id());
        }
    }

    private static Optional<String> param(Command command, String name) {
        Optional<String> value = Optional.ofNullable(command.params().get(name));
        if (value.isEmpty()) {
            LOG.warn(
                    "{} command {} of {} lacks {}; no key changed",
                    command.action(),
                    command.id(),
                    command.vin(),
                    name);
        }
        return value;
    }
}
