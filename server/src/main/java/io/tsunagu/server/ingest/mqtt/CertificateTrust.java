package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Vin;
import java.math.BigInteger;

/** Decides on every CONNECT whether a certificate (already chained to the fleet CA by TLS) may still be used. */
@FunctionalInterface
public interface CertificateTrust {
    /** True only if {@code serial} was issued to {@code vin} and is not revoked. Must be fast: runs per connect. */
    boolean trusted(Vin vin, BigInteger serial);
}
