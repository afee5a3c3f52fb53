package io.tsunagu.agent.command;

import io.tsunagu.agent.AgentException;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.command.CommandKeys;
import java.security.PublicKey;

/**
 * A fleet command key as the car receives it with its credentials: the registration response carries {@code
 * "commandKey": {"keyId": "fleet-1", "algorithm": "Ed25519", "publicKey": "<base64 X.509 SubjectPublicKeyInfo>"}}.
 *
 * @param keyId the id envelopes signed with it name
 * @param key an Ed25519 or EC P-256 public key
 */
public record CommandKey(String keyId, PublicKey key) {
    public CommandKey {
        if (keyId.isBlank()) {
            throw new AgentException("invalid_command_key", "command key id must not be blank", false);
        }
        CommandKeys.signatureAlgorithm(key); // throws for an unsupported key type
    }

    /**
     * Decodes the registration response's fields.
     *
     * @param algorithm {@code Ed25519}, {@code SHA256withECDSA} or {@code EC}; must fit the key
     * @throws AgentException if the key does not decode or does not fit the algorithm
     */
    public static CommandKey decode(String keyId, String algorithm, String publicKeyBase64) {
        PublicKey key;
        try {
            key = CommandKeys.decode(publicKeyBase64);
        } catch (TsunaguException e) {
            throw new AgentException("invalid_command_key", "command key '" + keyId + "': " + e.getMessage(), false, e);
        }
        String expected = CommandKeys.signatureAlgorithm(key);
        boolean fits =
                expected.equals(algorithm) || ("EC".equals(algorithm) && expected.equals(CommandKeys.ECDSA_P256));
        if (!fits) {
            throw new AgentException(
                    "invalid_command_key",
                    "command key '" + keyId + "' is a " + expected + " key, the response says " + algorithm,
                    false);
        }
        return new CommandKey(keyId, key);
    }
}
