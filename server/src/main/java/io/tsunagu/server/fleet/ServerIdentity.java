package io.tsunagu.server.fleet;

import io.tsunagu.server.fleet.internal.SecureFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The server's TLS identity: a serverAuth certificate issued by the fleet CA and its private key. Keystores built here
 * are PKCS#12 with one key entry ({@link PemKeys#KEY_ALIAS}) whose key password equals the store password. HiveMQ CE
 * opens keystores as type {@code JKS} by default; the JDK's {@code keystore.type.compat} (on by default) lets a JKS
 * KeyStore read these PKCS#12 files, so they work there unchanged. {@link #toString()} leaves the key out.
 */
public final class ServerIdentity {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final X509Certificate caCertificate;

    ServerIdentity(X509Certificate certificate, PrivateKey privateKey, X509Certificate caCertificate) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.caCertificate = caCertificate;
    }

    /** The server certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The server's private key; for TLS configuration only, never log or send it. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The fleet CA certificate, which both vehicles and the server trust. */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Server certificate then CA certificate, as a TLS server sends them. */
    public List<X509Certificate> chain() {
        return List.of(certificate, caCertificate);
    }

    /** An in-memory PKCS#12 keystore with the server key and chain. */
    public KeyStore keyStore(char[] password) {
        return PemKeys.keyStore(privateKey, chain(), password);
    }

    /** An in-memory PKCS#12 truststore holding the fleet CA certificate (to verify vehicle certificates). */
    public KeyStore trustStore() {
        return PemKeys.trustStore(List.of(caCertificate));
    }

    /** Writes {@link #keyStore} as a PKCS#12 file with owner-only permissions (0600); returns {@code file}. */
    public Path writeKeyStore(Path file, char[] password) {
        return write(keyStore(password), file, password, true);
    }

    /** Writes {@link #trustStore} as a PKCS#12 file protected (integrity) by {@code password}; returns {@code file}. */
    public Path writeTrustStore(Path file, char[] password) {
        return write(trustStore(), file, password, false);
    }

    private static Path write(KeyStore store, Path file, char[] password, boolean secret) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            if (secret) {
                SecureFiles.writeSecret(file, out.toByteArray());
            } else {
                SecureFiles.writePublic(file, out.toByteArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new FleetException(
                    FleetException.CA_UNAVAILABLE, "cannot write keystore " + file + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public String toString() {
        return "ServerIdentity[subject=" + certificate.getSubjectX500Principal().getName() + ", notAfter="
                + certificate.getNotAfter().toInstant() + "]";
    }
}
