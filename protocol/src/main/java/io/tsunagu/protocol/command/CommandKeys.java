package io.tsunagu.protocol.command;

import io.tsunagu.protocol.TsunaguException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Command signing keys: generation, the signature algorithm that fits a key, and public-key encoding. */
public final class CommandKeys {
    public static final String ED25519 = "Ed25519";
    public static final String ECDSA_P256 = "SHA256withECDSA";

    private CommandKeys() {}

    /** A new Ed25519 key pair (the default for command signing). */
    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance(ED25519).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks Ed25519", e);
        }
    }

    /** A new ECDSA P-256 key pair. */
    public static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks EC P-256", e);
        }
    }

    /** The signature algorithm for a key: {@value #ED25519} for EdDSA keys, {@value #ECDSA_P256} for EC keys. */
    public static String signatureAlgorithm(Key key) {
        return switch (key.getAlgorithm()) {
            case "EdDSA", "Ed25519" -> ED25519;
            case "EC" -> ECDSA_P256;
            default ->
                throw new TsunaguException(
                        "unsupported_key",
                        "command keys must be Ed25519 or EC P-256, got " + key.getAlgorithm(),
                        false);
        };
    }

    /** X.509 SubjectPublicKeyInfo, base64: how a public key travels (pairing, API). */
    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Parses {@link #encode}'s output; the algorithm ({@code Ed25519} or {@code EC}) is read from the key itself. */
    public static PublicKey decode(String base64) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new TsunaguException("invalid_key", "public key is not base64: " + e.getMessage(), false);
        }
        for (String algorithm : new String[] {ED25519, "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new TsunaguException("invalid_key", "public key is neither Ed25519 nor EC (X.509 DER expected)", false);
    }
}
