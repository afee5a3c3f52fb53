package io.tsunagu.server.update;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a GET with an HTTP {@code Range} header asks for, decided per RFC 9110 section 14: one satisfiable byte range
 * is served as 206, none as 416, and everything else as the whole content (200) — no or malformed {@code Range}, another
 * range unit, several satisfiable ranges (a server may ignore {@code Range}, 14.2; we send no multipart responses), or
 * an {@code If-Range} that does not strongly match the current entity tag (13.1.5; a date never matches here, since
 * cheap and safe).
 */
public sealed interface RangeRequest {
    /** Serve the whole content (200). */
    record Whole() implements RangeRequest {}

    /** Serve one range (206 with {@code Content-Range}). */
    record Partial(ByteRange range) implements RangeRequest {}

    /** No requested range overlaps the content (416 with {@code Content-Range: bytes *}/length). */
    record Unsatisfiable() implements RangeRequest {}

    /** A header longer than this is ignored rather than parsed (14.2 lets a server ignore a Range). */
    int MAX_HEADER_LENGTH = 1024;

    /** More ranges than this are ignored: a client resuming a download asks for one. */
    int MAX_RANGES = 16;

    /**
     * Decides a request.
     *
     * @param range the {@code Range} header, if sent
     * @param ifRange the {@code If-Range} header, if sent
     * @param etag the content's entity tag, unquoted (the artifact's SHA-256)
     * @param lengthBytes the content's length (&gt; 0)
     */
    static RangeRequest of(Optional<String> range, Optional<String> ifRange, String etag, long lengthBytes) {
        if (range.isEmpty() || (ifRange.isPresent() && !ifRange.get().strip().equals('"' + etag + '"'))) {
            return new Whole();
        }
        return parse(range.get(), lengthBytes);
    }

    /** Decides a {@code Range} header value against a content length (&gt; 0), ignoring {@code If-Range}. */
    static RangeRequest parse(String header, long lengthBytes) {
        int equals = header.indexOf('=');
        if (header.length() > MAX_HEADER_LENGTH
                || equals < 0
                || !header.substring(0, equals).strip().equalsIgnoreCase("bytes")) {
            return new Whole();
        }
        String[] specs = header.substring(equals + 1).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return new Whole();
        }
        List<ByteRange> satisfiable = new ArrayList<>();
        int parsedSpecs = 0;
        for (String spec : specs) {
            if (spec.isBlank()) {
                continue; // RFC 9110 5.6.1.2: empty list elements are ignored
            }
            parsedSpecs++;
            Optional<Optional<ByteRange>> parsed = RangeSpecs.parse(spec.strip(), lengthBytes);
            if (parsed.isEmpty()) {
                return new Whole(); // a syntax error: the whole field is invalid and ignored
            }
            parsed.get().ifPresent(satisfiable::add);
        }
        if (parsedSpecs == 0) {
            return new Whole();
        }
        return switch (satisfiable.size()) {
            case 0 -> new Unsatisfiable();
            case 1 -> new Partial(satisfiable.getFirst());
            default -> new Whole();
        };
    }
}
