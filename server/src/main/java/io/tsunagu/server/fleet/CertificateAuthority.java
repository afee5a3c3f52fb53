package io.tsunagu.server.fleet;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.internal.SecureFiles;
import io.tsunagu.server.fleet.internal.X509Issuer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's certificate authority: a root CA (ECDSA P-256, {@code CN=Tsunagu Fleet CA}, 10 years) created on first
 * start in a directory as {@value #KEY_FILE} (0600) and {@value #CERT_FILE}, and loaded from there afterwards. It issues
 * vehicle client certificates ({@code CN=<VIN>}, clientAuth) and the server's TLS certificate (serverAuth, persisted as
 * {@value #SERVER_KEY_FILE} and {@value #SERVER_CERT_FILE}). Thread-safe; never logs key material.
 */
public final class CertificateAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);

    public static final String KEY_FILE = "ca.key.pem";
    public static final String CERT_FILE = "ca.cert.pem";
    public static final String SERVER_KEY_FILE = "server.key.pem";
    public static final String SERVER_CERT_FILE = "server.cert.pem";
    public static final String CA_COMMON_NAME = "Tsunagu Fleet CA";

    private static final Duration CA_VALIDITY = Duration.ofDays(3652);
    /** Certificates start this much in the past so a car whose clock runs a little behind accepts them. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Clock clock;
    private final X509Issuer issuer;
    private final X509Issuer.Authority authority;
    private final String caCertificatePem;
    private final ServerCertificates serverCertificates;
    private final ReentrantLock serverLock = new ReentrantLock();

    private CertificateAuthority(Path directory, Clock clock, X509Issuer issuer, X509Issuer.Authority authority) {
        this.clock = clock;
        this.issuer = issuer;
        this.authority = authority;
        this.caCertificatePem = PemKeys.toPem(authority.certificate());
        this.serverCertificates = new ServerCertificates(directory, clock, issuer, authority);
    }

    /**
     * Loads the CA from {@code directory}, creating it there on first start.
     *
     * @throws FleetException {@code ca_unavailable} if only one of the two files exists, they do not match, or they
     *     cannot be read or written
     */
    public static CertificateAuthority open(Path directory, Clock clock) {
        X509Issuer issuer = new X509Issuer(new SecureRandom());
        Path keyFile = directory.resolve(KEY_FILE);
        Path certFile = directory.resolve(CERT_FILE);
        try {
            boolean hasKey = Files.exists(keyFile);
            boolean hasCert = Files.exists(certFile);
            if (hasKey != hasCert) {
                throw unavailable("found " + (hasKey ? keyFile : certFile) + " but not " + (hasKey ? certFile : keyFile)
                        + "; restore the missing file, or remove both to create a new CA (every vehicle then needs"
                        + " new credentials)");
            }
            X509Issuer.Authority authority =
                    hasKey ? load(keyFile, certFile) : create(issuer, clock, keyFile, certFile);
            return new CertificateAuthority(directory, clock, issuer, authority);
        } catch (IOException | GeneralSecurityException e) {
            throw new FleetException(
                    FleetException.CA_UNAVAILABLE,
                    "cannot open the certificate authority in " + directory + ": " + e.getMessage(),
                    false,
                    e);
        }
    }

    /** The CA certificate that vehicles and the server trust. */
    public X509Certificate caCertificate() {
        return authority.certificate();
    }

    /** The CA certificate as PEM. */
    public String caCertificatePem() {
        return caCertificatePem;
    }

    /**
     * Issues a client certificate for a vehicle with a new key pair; the private key is in the result only. The
     * certificate is valid from a few minutes ago (clock skew) for {@code validity}, but never past the CA's own
     * expiry.
     *
     * @throws FleetException {@code invalid_certificate_request} if {@code validity} is not positive
     */
    public IssuedCredentials issueVehicle(Vin vin, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new FleetException(
                    FleetException.INVALID_CERTIFICATE_REQUEST,
                    "certificate validity must be positive, got " + validity);
        }
        try {
            KeyPair keys = issuer.newKeyPair();
            BigInteger serial = issuer.newSerial();
            X509Certificate certificate =
                    issuer.clientCertificate(authority, keys.getPublic(), vin.value(), validity(serial, validity));
            LOG.info("Issued certificate {} for vehicle {}", serial.toString(16), vin);
            return new IssuedCredentials(
                    vin,
                    serial,
                    PemKeys.toPem(certificate),
                    PemKeys.toPem(keys.getPrivate()),
                    caCertificatePem,
                    certificate.getNotAfter().toInstant());
        } catch (GeneralSecurityException e) {
            throw new FleetException(
                    FleetException.CA_UNAVAILABLE,
                    "cannot issue a certificate for vehicle " + vin + ": " + e.getMessage(),
                    false,
                    e);
        }
    }

    /**
     * The server's TLS identity for these names (both lists empty means {@code localhost} and {@code 127.0.0.1}).
     * Reuses the persisted certificate unless its names differ, it expires within 30 days, or another CA issued it;
     * then issues and persists a new one.
     *
     * @throws FleetException {@code invalid_certificate_request} for a malformed DNS name or IP literal
     */
    public ServerIdentity serverIdentity(List<String> dnsNames, List<String> ipAddresses) {
        serverLock.lock();
        try {
            return serverCertificates.identity(dnsNames, ipAddresses);
        } finally {
            serverLock.unlock();
        }
    }

    private X509Issuer.Validity validity(BigInteger serial, Duration validity) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(validity);
        Instant caNotAfter = authority.certificate().getNotAfter().toInstant();
        return new X509Issuer.Validity(
                serial, now.minus(CLOCK_SKEW), notAfter.isAfter(caNotAfter) ? caNotAfter : notAfter);
    }

    private static X509Issuer.Authority create(X509Issuer issuer, Clock clock, Path keyFile, Path certFile)
            throws IOException, GeneralSecurityException {
        KeyPair keys = issuer.newKeyPair();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate certificate =
                issuer.selfSignedCa(keys, CA_COMMON_NAME, now.minus(CLOCK_SKEW), now.plus(CA_VALIDITY));
        // Key first: a crash in between leaves a key without a certificate, which open() reports instead of
        // silently replacing a CA that vehicles may already trust.
        SecureFiles.writeSecret(keyFile, PemKeys.toPem(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        SecureFiles.writePublic(certFile, PemKeys.toPem(certificate).getBytes(StandardCharsets.US_ASCII));
        LOG.info(
                "Created fleet CA in {}, valid until {}",
                keyFile.getParent(),
                certificate.getNotAfter().toInstant());
        return new X509Issuer.Authority(certificate, keys.getPrivate());
    }

    private static X509Issuer.Authority load(Path keyFile, Path certFile) throws IOException, GeneralSecurityException {
        if (!SecureFiles.ownerOnly(keyFile)) {
            LOG.warn("CA key {} is readable by other users; restrict it with chmod 600", keyFile);
        }
        X509Certificate certificate = PemKeys.certificate(Files.readString(certFile, StandardCharsets.US_ASCII));
        PrivateKey key = PemKeys.privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
        if (!matches(key, certificate)) {
            throw unavailable(keyFile + " is not the private key of " + certFile);
        }
        LOG.info(
                "Loaded fleet CA from {}, valid until {}",
                certFile,
                certificate.getNotAfter().toInstant());
        return new X509Issuer.Authority(certificate, key);
    }

    /** True if the key signs what the certificate's public key verifies. */
    static boolean matches(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        byte[] probe = "tsunagu-key-match".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static FleetException unavailable(String message) {
        return new FleetException(FleetException.CA_UNAVAILABLE, message);
    }
}
