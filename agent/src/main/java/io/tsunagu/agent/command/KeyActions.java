package io.tsunagu.agent.command;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.command.CommandKeys;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code keys.pair} and {@code keys.revoke}: the car's own key management. A key id names one key for good: a fleet
 * key id cannot be paired or revoked, a revoked id cannot be paired again (pair the new key under a new id), so a
 * revocation can never be undone by a command.
 *
 * <p>Someone in the car confirms every pairing, and every revocation signed with a fleet key: the fleet key's private
 * half is on the server, and a server that could revoke the user's key unseen would get back the power that pairing
 * took from it ({@link io.tsunagu.protocol.command.FleetKeyPolicy}). A revocation signed by a paired user key runs
 * without asking; any paired key may revoke any other, as every paired key speaks for the car's user.
 */
final class KeyActions {
    static final String KEY_ID_TAKEN = "key_id_taken";
    static final String KEY_REVOKED = "key_revoked";
    static final String NOT_REVOCABLE = "not_revocable";
    static final String UNKNOWN_KEY = "unknown_key";
    private static final Logger LOG = LoggerFactory.getLogger(KeyActions.class);

    private final CarKeys keys;
    private final CommandStore store;
    private final PairingConfirmation confirmation;
    private final RevocationConfirmation revocation;
    private final Clock clock;

    KeyActions(
            CarKeys keys,
            CommandStore store,
            PairingConfirmation confirmation,
            RevocationConfirmation revocation,
            Clock clock) {
        this.keys = keys;
        this.store = store;
        this.confirmation = confirmation;
        this.revocation = revocation;
        this.clock = clock;
    }

    ActionOutcome pair(Map<String, String> params) {
        String keyId = params.getOrDefault(CommandActions.KEY_ID, "").strip();
        if (keyId.isEmpty()) {
            return ActionOutcome.failed(ActionOutcome.INVALID_PARAMS, "key_id is missing");
        }
        if (keys.isFleetKey(keyId)) {
            return ActionOutcome.failed(KEY_ID_TAKEN, "'" + keyId + "' is a fleet key id");
        }
        if (store.revoked(keyId)) {
            return ActionOutcome.failed(KEY_REVOKED, "'" + keyId + "' was revoked; pair the key under a new id");
        }
        String encoded;
        try {
            PublicKey key = CommandKeys.decode(params.getOrDefault(CommandActions.PUBLIC_KEY, ""));
            CommandKeys.signatureAlgorithm(key);
            encoded = CommandKeys.encode(key);
        } catch (TsunaguException e) {
            return ActionOutcome.failed(ActionOutcome.INVALID_PARAMS, "public_key: " + e.getMessage());
        }
        Optional<String> existing = store.pairedKey(keyId);
        if (existing.isPresent()) {
            return existing.get().equals(encoded)
                    ? ActionOutcome.executed("already paired")
                    : ActionOutcome.failed(KEY_ID_TAKEN, "another key is paired as '" + keyId + "'");
        }
        if (!confirmation.confirm(keyId)) {
            return ActionOutcome.failed(
                    ActionOutcome.PAIRING_DECLINED, "pairing of '" + keyId + "' declined in the car");
        }
        store.pair(keyId, encoded);
        LOG.info("paired command key '{}'", keyId);
        return ActionOutcome.executed("paired");
    }

    /** @param signedBy the key id the command was signed with (a fleet key asks the car first) */
    ActionOutcome revoke(Map<String, String> params, String signedBy) {
        String keyId = params.getOrDefault(CommandActions.KEY_ID, "").strip();
        if (keyId.isEmpty()) {
            return ActionOutcome.failed(ActionOutcome.INVALID_PARAMS, "key_id is missing");
        }
        if (keys.isFleetKey(keyId)) {
            return ActionOutcome.failed(NOT_REVOCABLE, "'" + keyId + "' is a fleet key; it changes with provisioning");
        }
        if (store.revoked(keyId)) {
            return ActionOutcome.executed("already revoked");
        }
        if (store.pairedKey(keyId).isEmpty()) {
            return ActionOutcome.failed(UNKNOWN_KEY, "no key is paired as '" + keyId + "'");
        }
        if (keys.isFleetKey(signedBy) && !revocation.confirm(keyId)) {
            return ActionOutcome.failed(
                    ActionOutcome.REVOCATION_DECLINED, "revocation of '" + keyId + "' declined in the car");
        }
        store.revoke(keyId, clock.millis());
        LOG.info("revoked command key '{}' (signed by '{}')", keyId, signedBy);
        return ActionOutcome.executed("revoked");
    }
}
