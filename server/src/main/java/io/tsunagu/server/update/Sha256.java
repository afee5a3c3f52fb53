package io.tsunagu.server.update;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A SHA-256 digest as 64 lower-case hex characters: the identity of an artifact's content (and its HTTP entity tag).
 *
 * @param value 64 lower-case hex characters
 */
public record Sha256(String value) {
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    public Sha256 {
        if (!HEX_64.matcher(value).matches()) {
            throw ArtifactException.invalid(
                    "invalid_sha256", "a SHA-256 is 64 hex characters, got '" + abbreviate(value) + "'");
        }
    }

    /** Parses hex in either case (surrounding blanks ignored); {@code invalid_sha256} if it is not 64 hex digits. */
    public static Sha256 of(String hex) {
        return new Sha256(hex.strip().toLowerCase(Locale.ROOT));
    }

    /** The digest of a finished {@link java.security.MessageDigest}. */
    public static Sha256 of(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, got " + digest.length);
        }
        return new Sha256(HexFormat.of().formatHex(digest));
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    @Override
    public String toString() {
        return value;
    }
}
