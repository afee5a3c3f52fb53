package io.tsunagu.server.command;

import io.tsunagu.protocol.Vin;
import java.time.Instant;
import java.util.Optional;

/**
 * A user command key paired to a car: the car executed a {@code keys.pair} command for it (after someone in the car
 * confirmed), so it trusts envelopes signed with it until the car executes a {@code keys.revoke} for it. The server
 * accepts user-signed envelopes only for paired keys that are not revoked, and while a car has one it refuses to sign
 * actuating commands for that car with the fleet key ({@code user_signature_required}).
 *
 * @param publicKey base64 X.509 SubjectPublicKeyInfo, as in the {@code keys.pair} parameters
 * @param algorithm the signature algorithm that fits the key: {@code Ed25519} or {@code SHA256withECDSA}
 * @param commandId the {@code keys.pair} command that paired it
 * @param pairedAt when the server recorded the car's {@code executed} result
 * @param revokedAt when the server recorded the car's {@code executed} result of a {@code keys.revoke}; empty while
 *     the key is trusted
 * @param revokeCommandId the {@code keys.revoke} command that revoked it
 */
public record PairedKey(
        Vin vin,
        String keyId,
        String publicKey,
        String algorithm,
        String commandId,
        Instant pairedAt,
        Optional<Instant> revokedAt,
        Optional<String> revokeCommandId) {

    /** True once the car reported the key revoked: it will never be trusted again. */
    public boolean revoked() {
        return revokedAt.isPresent();
    }

    /** {@code paired} or {@code revoked}, as the API shows it. */
    public String state() {
        return revoked() ? "revoked" : "paired";
    }
}
