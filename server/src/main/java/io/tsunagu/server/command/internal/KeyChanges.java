package io.tsunagu.server.command.internal;

import io.tsunagu.server.command.Command;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a car's {@code executed} result of a key command to {@code paired_keys}: {@code keys.pair} records the key
 * as paired, {@code keys.revoke} marks it revoked. Only the car's report counts, never the server's own request: the
 * car decides (after its in-car confirmation), the server follows. Called on the car's delivery stripe.
 */
public final class KeyChanges {
    static final String KEYS_PAIR = "keys.pair";
    static final String KEYS_REVOKE = "keys.revoke";
    private static final Logger LOG = LoggerFactory.getLogger(KeyChanges.class);

    private final PairedKeyStore pairedKeys;
    private final Clock clock;

    public KeyChanges(PairedKeyStore pairedKeys, Clock clock) {
        this.pairedKeys = pairedKeys;
        this.clock = clock;
    }

    /** The car reported {@code command} executed; does nothing for actions other than {@code keys.*}. */
    public void executed(Command command) {
        switch (command.action()) {
            case KEYS_PAIR -> paired(command);
            case KEYS_REVOKE -> revoked(command);
            default -> {
                // not a key command
            }
        }
    }

    private void paired(Command command) {
        Optional<String> keyId = param(command, "key_id");
        Optional<String> publicKey = param(command, "public_key");
        if (keyId.isPresent()
                && publicKey.isPresent()
                && pairedKeys.pair(command.vin(), keyId.get(), publicKey.get(), command.id(), clock.instant())) {
            LOG.info("command key '{}' paired to {} (command {})", keyId.get(), command.vin(), command.id());
        }
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
