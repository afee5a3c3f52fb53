package io.tsunagu.protocol.update;

import java.util.HexFormat;

/**
 * One entry of a metadata file's {@code signatures}: the signing key's id and the signature bytes in hex.
 *
 * @param sig lower-case hex, as TUF writes it; an invalid string simply never verifies
 */
public record MetadataSignature(String keyId, String sig) {
    /** From raw signature bytes. */
    public static MetadataSignature of(String keyId, byte[] signature) {
        return new MetadataSignature(keyId, HexFormat.of().formatHex(signature));
    }

    /** The signature bytes, or an empty array when {@link #sig()} is not hex. */
    public byte[] bytes() {
        try {
            return HexFormat.of().parseHex(sig);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
