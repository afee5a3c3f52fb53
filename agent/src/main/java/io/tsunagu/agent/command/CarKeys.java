package io.tsunagu.agent.command;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandVerifier;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys the car trusts: the fleet key(s) from provisioning (fixed for the agent's life, never revocable by a
 * command) and the user keys paired through {@code keys.pair}, minus the revoked ones.
 */
final class CarKeys implements CommandVerifier.TrustedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(CarKeys.class);

    private final Map<String, PublicKey> fleetKeys;
    private final CommandStore store;

    CarKeys(Map<String, PublicKey> fleetKeys, CommandStore store) {
        this.fleetKeys = Map.copyOf(fleetKeys);
        this.store = store;
    }

    @Override
    public Optional<PublicKey> key(String keyId) {
        PublicKey fleet = fleetKeys.get(keyId);
        if (fleet != null) {
            return Optional.of(fleet);
        }
        return store.pairedKey(keyId).flatMap(CarKeys::decode);
    }

    @Override
    public boolean revoked(String keyId) {
        return !fleetKeys.containsKey(keyId) && store.revoked(keyId);
    }

    boolean isFleetKey(String keyId) {
        return fleetKeys.containsKey(keyId);
    }

    /**
     * True while a user key is paired and not revoked. A paired key that no longer decodes still counts: the car stays
     * protected rather than falling back to the fleet key on a storage fault.
     */
    boolean userKeyPaired() {
        return store.hasPairedKeys();
    }

    private static Optional<PublicKey> decode(String base64) {
        try {
            return Optional.of(CommandKeys.decode(base64));
        } catch (TsunaguException e) {
            LOG.error("a paired command key does not decode any more, treating it as unknown: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
