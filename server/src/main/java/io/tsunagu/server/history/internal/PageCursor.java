package io.tsunagu.server.history.internal;

import io.tsunagu.server.history.InvalidQueryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position of the last point of a page: (time, path, sequence number), the full sort key of a history answer. It
 * travels as opaque URL-safe base64 so callers cannot build or edit one, and a version prefix lets the format change.
 *
 * @param tsMs time or bucket start of the last point
 * @param path its path
 * @param seq its sequence number (raw samples), 0 in downsampled answers
 */
public record PageCursor(long tsMs, String path, long seq) {
    private static final String VERSION = "c1";

    /** Whether a point with this sort key comes after the cursor. */
    public boolean isBefore(long otherTsMs, String otherPath, long otherSeq) {
        if (otherTsMs != tsMs) {
            return otherTsMs > tsMs;
        }
        int byPath = otherPath.compareTo(path);
        return byPath != 0 ? byPath > 0 : otherSeq > seq;
    }

    /** The opaque form handed to callers. */
    public String encode() {
        String plain = VERSION + ':' + tsMs + ':' + seq + ':' + path;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a cursor produced by {@link #encode()}. */
    public static PageCursor decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = plain.split(":", 4);
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            return new PageCursor(Long.parseLong(parts[1]), parts[3], Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("cursor is not one this server issued; start again without a cursor");
        }
    }
}
