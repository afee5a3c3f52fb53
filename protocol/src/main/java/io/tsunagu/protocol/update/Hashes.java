package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.protocol.update.internal.Fields;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** TUF {@code hashes} objects: algorithm name to lower-case hex digest. SHA-256 is the one this code requires. */
public final class Hashes {
    /** The algorithm name TUF uses for SHA-256. */
    public static final String SHA256 = "sha256";

    private Hashes() {}

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    static Map<String, String> fromJson(JsonNode node, String where) {
        if (!node.isObject()) {
            throw Fields.malformed(where + ".hashes must be an object");
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        node.fieldNames().forEachRemaining(name -> {
            String value = Fields.text(node, name, where + ".hashes");
            // Hex compares case-insensitively; keep one spelling so equal digests are equal strings.
            hashes.put(name, value.toLowerCase(Locale.ROOT));
        });
        return hashes;
    }
}
