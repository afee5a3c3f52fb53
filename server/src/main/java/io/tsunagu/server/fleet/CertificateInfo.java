package io.tsunagu.server.fleet;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;

/**
 * The public facts of a certificate issued to a vehicle. {@code serialHex} is the serial number in lower-case hex
 * without leading zeros (as {@link BigInteger#toString(int) toString(16)} gives it).
 */
public record CertificateInfo(String serialHex, Instant notBefore, Instant notAfter) {
    public CertificateInfo {
        serialHex = serialHex.toLowerCase(Locale.ROOT);
    }

    /** Builds the info for a serial number. */
    public static CertificateInfo of(BigInteger serial, Instant notBefore, Instant notAfter) {
        return new CertificateInfo(serial.toString(16), notBefore, notAfter);
    }

    /** The serial number as a number. */
    public BigInteger serial() {
        return new BigInteger(serialHex, 16);
    }
}
