package io.tsunagu.server.update;

/**
 * A contiguous run of bytes of an artifact's content.
 *
 * @param offset first byte, from 0
 * @param lengthBytes number of bytes (&gt; 0)
 */
public record ByteRange(long offset, long lengthBytes) {
    public ByteRange {
        if (offset < 0 || lengthBytes <= 0 || offset > Long.MAX_VALUE - lengthBytes) {
            throw new IllegalArgumentException("invalid byte range at " + offset + " of " + lengthBytes + " bytes");
        }
    }

    /** The last byte of the range (inclusive), as HTTP's {@code Content-Range} counts. */
    public long lastByte() {
        return offset + lengthBytes - 1;
    }

    /** The end of the range (exclusive). */
    public long end() {
        return offset + lengthBytes;
    }

    /** The {@code Content-Range} value of this range of a representation of {@code totalBytes} (RFC 9110 14.4). */
    public String contentRange(long totalBytes) {
        return "bytes " + offset + "-" + lastByte() + "/" + totalBytes;
    }
}
