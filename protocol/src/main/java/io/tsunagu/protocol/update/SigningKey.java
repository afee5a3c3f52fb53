package io.tsunagu.protocol.update;

import io.tsunagu.protocol.command.CommandKeys;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * A private key that signs metadata for a role, with its public {@link TufKey}. Online roles (timestamp, snapshot,
 * director targets) hold these on the server; offline roles (root, image-repository targets) should sign elsewhere
 * and only hand in signatures (see {@link SignedMetadata#withSignature}).
 */
public final class SigningKey {
    private final TufKey publicKey;
    private final PrivateKey privateKey;

    private SigningKey(TufKey publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** Wraps a JDK Ed25519 or EC P-256 key pair. */
    public static SigningKey of(KeyPair pair) {
        return new SigningKey(TufKey.of(pair.getPublic()), pair.getPrivate());
    }

    /** A new Ed25519 key (the default). */
    public static SigningKey ed25519() {
        return of(CommandKeys.ed25519());
    }

    /** A new ECDSA P-256 key. */
    public static SigningKey p256() {
        return of(CommandKeys.p256());
    }

    public TufKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return publicKey.keyId();
    }

    /** Signs {@code data} (the canonical JSON of {@code signed}). */
    public MetadataSignature sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance(CommandKeys.signatureAlgorithm(privateKey));
            signer.initSign(privateKey);
            signer.update(data);
            return MetadataSignature.of(publicKey.keyId(), signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with key " + publicKey.keyId(), e);
        }
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "SigningKey[" + publicKey.keyType() + " " + publicKey.keyId() + "]";
    }
}
