package io.tsunagu.protocol.update.internal;

import io.tsunagu.protocol.update.TufKey;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Public-key material in TUF's encodings. Ed25519: the 32 raw key bytes in hex, i.e. the X.509 SubjectPublicKeyInfo
 * (RFC 8410) without its fixed 12-byte header. ECDSA: PEM of the SubjectPublicKeyInfo, restricted to P-256.
 */
public final class KeyCodec {
    /** DER header of an RFC 8410 Ed25519 SubjectPublicKeyInfo: SEQUENCE, AlgorithmIdentifier 1.3.101.112, BIT STRING. */
    private static final byte[] ED25519_SPKI_HEADER = HexFormat.of().parseHex("302a300506032b6570032100");

    private static final int ED25519_KEY_BYTES = 32;
    private static final BigInteger P256_ORDER = p256Order();

    private KeyCodec() {}

    public static String encode(PublicKey key) {
        if (key instanceof EdECPublicKey) {
            byte[] der = key.getEncoded();
            return HexFormat.of().formatHex(Arrays.copyOfRange(der, der.length - ED25519_KEY_BYTES, der.length));
        }
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    public static PublicKey decode(String type, String scheme, String material, String where) {
        if (TufKey.ED25519.equals(type) && TufKey.ED25519.equals(scheme)) {
            return ed25519(material, where);
        }
        if (TufKey.ECDSA.equals(type) && TufKey.ECDSA_P256_SCHEME.equals(scheme)) {
            return p256(material, where);
        }
        throw Fields.malformed(where + ": unsupported keytype/scheme " + type + "/" + scheme);
    }

    private static PublicKey ed25519(String hex, String where) {
        byte[] raw;
        try {
            raw = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw Fields.malformed(where + ": ed25519 public key is not hex");
        }
        if (raw.length != ED25519_KEY_BYTES) {
            throw Fields.malformed(where + ": ed25519 public key must be 32 bytes, got " + raw.length);
        }
        byte[] der = Arrays.copyOf(ED25519_SPKI_HEADER, ED25519_SPKI_HEADER.length + raw.length);
        System.arraycopy(raw, 0, der, ED25519_SPKI_HEADER.length, raw.length);
        return generate("Ed25519", der, where);
    }

    private static PublicKey p256(String pem, String where) {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw Fields.malformed(where + ": ecdsa public key is not PEM");
        }
        PublicKey key = generate("EC", der, where);
        if (!(key instanceof ECPublicKey ec)
                || !P256_ORDER.equals(ec.getParams().getOrder())) {
            throw Fields.malformed(where + ": ecdsa key is not on curve P-256");
        }
        return key;
    }

    private static PublicKey generate(String algorithm, byte[] der, String where) {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw Fields.malformed(where + ": not a valid " + algorithm + " public key");
        }
    }

    private static BigInteger p256Order() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class).getOrder();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks EC P-256", e);
        }
    }
}
