package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.update.internal.Fields;
import io.tsunagu.protocol.update.internal.KeyCodec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;

/**
 * A public key as TUF root metadata lists it: {@code {"keytype", "scheme", "keyval": {"public"}}}. Ed25519 (keytype
 * and scheme {@code ed25519}, public = hex of the 32 raw bytes) is the default; ECDSA P-256 (keytype {@code ecdsa},
 * scheme {@code ecdsa-sha2-nistp256}, public = PEM SubjectPublicKeyInfo, signatures DER) is accepted.
 *
 * @param keyId hex SHA-256 of the canonical JSON of {@link #toJson()} (TUF key id)
 */
public record TufKey(String keyId, String keyType, String scheme, PublicKey publicKey) {
    public static final String ED25519 = "ed25519";
    public static final String ECDSA = "ecdsa";
    public static final String ECDSA_P256_SCHEME = "ecdsa-sha2-nistp256";

    /** The TUF form of a JDK public key (Ed25519 or EC P-256); the key id is computed. */
    public static TufKey of(PublicKey key) {
        String algorithm = CommandKeys.signatureAlgorithm(key);
        boolean ed = CommandKeys.ED25519.equals(algorithm);
        String type = ed ? ED25519 : ECDSA;
        String scheme = ed ? ED25519 : ECDSA_P256_SCHEME;
        String material = KeyCodec.encode(key);
        // Decoding what we would publish refuses keys a car would refuse too (e.g. EC keys not on P-256).
        KeyCodec.decode(type, scheme, material, "new key");
        return new TufKey(keyIdOf(json(type, scheme, material)), type, scheme, key);
    }

    /**
     * Reads a key object from root's {@code keys}. The listed id must be the key's computed id: otherwise one key
     * listed under two ids could count twice towards a threshold.
     */
    public static TufKey fromJson(String listedKeyId, JsonNode node) {
        String where = "keys." + listedKeyId;
        if (!node.isObject()) {
            throw Fields.malformed(where + " must be an object");
        }
        String type = Fields.text(node, "keytype", where);
        String scheme = Fields.text(node, "scheme", where);
        String material = Fields.text(Fields.object(node, "keyval", where), "public", where + ".keyval");
        PublicKey key = KeyCodec.decode(type, scheme, material, where);
        String computed = keyIdOf(node);
        if (!computed.equals(listedKeyId)) {
            throw Fields.malformed(where + " is listed under an id that is not its SHA-256 key id " + computed);
        }
        return new TufKey(listedKeyId, type, scheme, key);
    }

    /** The key object as root metadata carries it. */
    public ObjectNode toJson() {
        return json(keyType, scheme, KeyCodec.encode(publicKey));
    }

    /** True when {@code signature} is a valid signature by this key over {@code data}. */
    public boolean verifies(byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(CommandKeys.signatureAlgorithm(publicKey));
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // A malformed signature (wrong length, bad DER) is simply not a valid one.
            return false;
        }
    }

    private static ObjectNode json(String type, String scheme, String material) {
        ObjectNode node = CanonicalJson.object();
        node.put("keytype", type);
        node.put("scheme", scheme);
        node.putObject("keyval").put("public", material);
        return node;
    }

    private static String keyIdOf(JsonNode keyObject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(keyObject));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }
}
