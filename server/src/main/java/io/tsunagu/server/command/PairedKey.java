package io.tsunagu.server.command;

import io.tsunagu.protocol.Vin;
import java.time.Instant;

/**
 * A user command key paired to a car: the car executed a {@code keys.pair} command for it (after someone in the car
 * confirmed), so it trusts envelopes signed with it. The server accepts user-signed envelopes only for such keys.
 *
 * @param publicKey base64 X.509 SubjectPublicKeyInfo, as in the {@code keys.pair} parameters
 * @param algorithm the signature algorithm that fits the key: {@code Ed25519} or {@code SHA256withECDSA}
 * @param commandId the {@code keys.pair} command that paired it
 * @param pairedAt when the server recorded the car's {@code executed} result
 */
public record PairedKey(
        Vin vin, String keyId, String publicKey, String algorithm, String commandId, Instant pairedAt) {}
