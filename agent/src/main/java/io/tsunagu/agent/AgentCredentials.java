package io.tsunagu.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/**
 * What the car proves itself with and whom it trusts, all as PEM text: its certificate chain (leaf first, CN = VIN,
 * issued by the fleet CA), its PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}, EC or RSA) and the CA
 * certificate(s) that issued the server's certificate. {@link #toString()} never shows the key.
 *
 * @param certificateChainPem one or more {@code CERTIFICATE} blocks, leaf first
 * @param privateKeyPem one unencrypted PKCS#8 {@code PRIVATE KEY} block
 * @param caPem one or more {@code CERTIFICATE} blocks to trust for the server
 */
public record AgentCredentials(String certificateChainPem, String privateKeyPem, String caPem) {
    public AgentCredentials {
        requireBlock(certificateChainPem, "-----BEGIN CERTIFICATE-----", "certificate chain");
        requireBlock(privateKeyPem, "-----BEGIN PRIVATE KEY-----", "private key (PKCS#8)");
        requireBlock(caPem, "-----BEGIN CERTIFICATE-----", "CA certificate");
    }

    /** Credentials from PEM strings. */
    public static AgentCredentials fromPem(String certificateChainPem, String privateKeyPem, String caPem) {
        return new AgentCredentials(certificateChainPem, privateKeyPem, caPem);
    }

    /** Credentials from PEM files. */
    public static AgentCredentials fromFiles(Path certificateChainPem, Path privateKeyPem, Path caPem) {
        return new AgentCredentials(read(certificateChainPem), read(privateKeyPem), read(caPem));
    }

    /**
     * A TLS context that presents this car's certificate and trusts only {@link #caPem()}: for HTTPS to the cloud
     * (hawkBit DDI, Uptane metadata, artifact downloads), the same identity as on MQTT.
     */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    PemTls.keyManagers(this).getKeyManagers(),
                    PemTls.trustManagers(this).getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new AgentException("invalid_credentials", "cannot build a TLS context: " + e, false, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AgentException("credentials_unreadable", "cannot read PEM file " + file + ": " + e, false, e);
        }
    }

    private static void requireBlock(String pem, String header, String what) {
        if (!pem.contains(header)) {
            throw new AgentException(
                    "invalid_credentials", "the " + what + " PEM has no '" + header + "' block", false);
        }
    }

    @Override
    public String toString() {
        return "AgentCredentials[certificateChainPem=" + certificateChainPem.length() + " chars, privateKeyPem=***]";
    }
}
