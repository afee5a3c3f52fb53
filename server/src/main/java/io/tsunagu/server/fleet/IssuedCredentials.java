package io.tsunagu.server.fleet;

import io.tsunagu.protocol.Vin;
import java.math.BigInteger;
import java.time.Instant;

/**
 * What a vehicle needs to connect: its client certificate, its private key (PKCS#8 PEM, {@code BEGIN PRIVATE KEY}) and
 * the CA certificate to trust the server with. The private key exists only in this object: the server never stores
 * it, so hand it to the vehicle once. {@link #toString()} leaves the key out.
 */
public record IssuedCredentials(
        Vin vin,
        BigInteger serial,
        String certificatePem,
        String privateKeyPem,
        String caCertificatePem,
        Instant notAfter) {

    @Override
    public String toString() {
        return "IssuedCredentials[vin=" + vin + ", serial=" + serial.toString(16) + ", notAfter=" + notAfter + "]";
    }
}
