package io.tsunagu.protocol.command;

import com.google.protobuf.ByteString;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandEnvelope;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Signs command bodies with one private key. The server holds the fleet key; a user may hold a paired key on their
 * own device and sign there, so that a compromised server cannot forge commands for that car.
 *
 * <p>Thread-safe: a new {@link Signature} per call.
 */
public final class CommandSigner {
    private final String keyId;
    private final PrivateKey key;
    private final String algorithm;

    /** @param key an Ed25519 ({@code "EdDSA"}/{@code "Ed25519"}) or EC P-256 private key */
    public CommandSigner(String keyId, PrivateKey key) {
        this.keyId = keyId;
        this.key = key;
        this.algorithm = CommandKeys.signatureAlgorithm(key);
    }

    public String keyId() {
        return keyId;
    }

    /** Serializes {@code body}, signs those bytes and wraps them in an envelope. */
    public CommandEnvelope sign(CommandBody body) {
        byte[] bytes = body.toByteArray();
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(bytes);
            return CommandEnvelope.newBuilder()
                    .setBody(ByteString.copyFrom(bytes))
                    .setKeyId(keyId)
                    .setAlgorithm(algorithm)
                    .setSignature(ByteString.copyFrom(signature.sign()))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new TsunaguException("signing_failed", "cannot sign command with key " + keyId + ": " + e, false, e);
        }
    }
}
