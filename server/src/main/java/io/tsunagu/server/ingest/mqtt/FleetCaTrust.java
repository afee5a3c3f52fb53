package io.tsunagu.server.ingest.mqtt;

import io.netty.handler.ssl.OpenSslCertificateException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Checks a car's client certificate against the fleet CA directly: the fleet CA issues vehicle certificates itself (one
 * level, no intermediates), so the chain to check is the car's certificate and a CA of the trust store. Replaces the
 * JDK's generic PKIX path building and validation, which cost about as much again as the one signature verification it
 * needs (docs/architecture.md, "Handshake cost"); the rules are those of RFC 5280 §6.1 for a path of length one plus
 * the TLS client end-entity rules of the JDK's checker:
 *
 * <ul>
 *   <li>the issuer is a CA of the trust store (same name, and the same key identifier where both name one), itself
 *       within its validity, else {@code unknown_ca};
 *   <li>the signature is an ECDSA/RSA signature with SHA-2 that the CA's public key verifies (a JCA {@code
 *       Signature} of BouncyCastle's provider, see {@link #SIGNATURES}), else a signature failure;
 *   <li>now is within the certificate's validity, else {@code certificate_expired} (Netty's mapping of the JDK's
 *       expiry exceptions);
 *   <li>an end entity: not a CA (basic constraints), key usage (if present) includes digitalSignature, extended key
 *       usage (if present) includes clientAuth, and no critical extension this check does not know.
 * </ul>
 *
 * <p>Certificates the car adds after its own (its copy of the CA) are not used: only the trust store's CAs are. The
 * alerts are OpenSSL's (RFC 8446 §6.2); the JDK provider sends {@code certificate_unknown} for every refusal. Serial,
 * CN and revocation are checked per CONNECT by {@link VehicleAuthenticator}.
 */
final class FleetCaTrust extends X509ExtendedTrustManager {
    /** OpenSSL's X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: no path to a trusted CA (alert unknown_ca). */
    static final int UNKNOWN_ISSUER = 20;
    /** OpenSSL's X509_V_ERR_CERT_SIGNATURE_FAILURE. */
    static final int SIGNATURE_FAILURE = 7;
    /** OpenSSL's X509_V_ERR_INVALID_PURPOSE: the certificate may not be used as a TLS client's. */
    static final int INVALID_PURPOSE = 26;

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    /** Critical extensions understood here: basic constraints, key usage, extended key usage, subject alt name. */
    private static final Set<String> KNOWN_CRITICAL = Set.of("2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.17");
    /** ecdsa-with-SHA256/384/512 (RFC 5758) and sha256/384/512WithRSAEncryption (RFC 4055). */
    private static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
            "1.2.840.10045.4.3.2",
            "1.2.840.10045.4.3.3",
            "1.2.840.10045.4.3.4",
            "1.2.840.113549.1.1.11",
            "1.2.840.113549.1.1.12",
            "1.2.840.113549.1.1.13");

    /**
     * BouncyCastle's implementation of the JCA {@code Signature}s: its ECDSA P-256 verification measured about 3× faster
     * than the JDK's on this project's machines (0.30–0.38 against 1.0–1.1 ms, warm, on a 2-core x86-64 without
     * AVX-512, where the JDK has no intrinsic for it), and one verification per handshake is most of this check.
     * Not registered as a JCA provider: only this check uses it.
     */
    private static final Provider SIGNATURES = new BouncyCastleProvider();

    private final List<X509Certificate> authorities;
    private final Clock clock;

    FleetCaTrust(List<X509Certificate> authorities, Clock clock) {
        if (authorities.isEmpty()) {
            throw new IllegalArgumentException("the fleet trust store holds no CA certificate");
        }
        this.authorities = List.copyOf(authorities);
        this.clock = clock;
    }

    /** The CA certificates of a trust store. */
    static FleetCaTrust of(KeyStore trustStore, Clock clock) throws KeyStoreException {
        List<X509Certificate> authorities = new ArrayList<>();
        for (String alias : Collections.list(trustStore.aliases())) {
            if (trustStore.isCertificateEntry(alias)
                    && trustStore.getCertificate(alias) instanceof X509Certificate certificate) {
                authorities.add(certificate);
            }
        }
        return new FleetCaTrust(authorities, clock);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain.length == 0) {
            throw new CertificateException("the client sent no certificate");
        }
        X509Certificate car = chain[0];
        Date now = Date.from(clock.instant());
        X509Certificate issuer = issuerOf(car, now);
        verifySignature(car, issuer);
        car.checkValidity(now); // CertificateExpiredException / NotYetValid: Netty sends certificate_expired
        checkClientEndEntity(car);
    }

    private X509Certificate issuerOf(X509Certificate car, Date now) throws CertificateException {
        Optional<byte[]> keyId = authorityKeyId(car);
        for (X509Certificate ca : authorities) {
            if (ca.getSubjectX500Principal().equals(car.getIssuerX500Principal()) && sameKeyId(keyId, ca)) {
                try {
                    ca.checkValidity(now);
                } catch (CertificateException e) {
                    throw refusal("the fleet CA certificate is not valid now: " + e.getMessage(), UNKNOWN_ISSUER, e);
                }
                return ca;
            }
        }
        throw refusal("issuer " + car.getIssuerX500Principal() + " is not the fleet CA", UNKNOWN_ISSUER, null);
    }

    private static void verifySignature(X509Certificate car, X509Certificate ca) throws CertificateException {
        if (!SIGNATURE_ALGORITHMS.contains(car.getSigAlgOID())) {
            throw refusal("signature algorithm " + car.getSigAlgName() + " is not accepted", SIGNATURE_FAILURE, null);
        }
        try {
            car.verify(ca.getPublicKey(), SIGNATURES);
        } catch (GeneralSecurityException e) {
            throw refusal("the certificate's signature does not verify with the fleet CA key", SIGNATURE_FAILURE, e);
        }
    }

    private static void checkClientEndEntity(X509Certificate car) throws CertificateException {
        Set<String> critical = car.getCriticalExtensionOIDs();
        if (critical != null && !KNOWN_CRITICAL.containsAll(critical)) {
            throw refusal("the certificate has an unknown critical extension: " + critical, INVALID_PURPOSE, null);
        }
        if (car.getBasicConstraints() != -1) {
            throw refusal("a CA certificate is not a client certificate", INVALID_PURPOSE, null);
        }
        boolean[] keyUsage = car.getKeyUsage();
        if (keyUsage != null && (keyUsage.length == 0 || !keyUsage[0])) {
            throw refusal("key usage lacks digitalSignature", INVALID_PURPOSE, null);
        }
        List<String> extended = extendedKeyUsage(car);
        if (!extended.isEmpty() && !extended.contains(CLIENT_AUTH) && !extended.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw refusal("extended key usage lacks clientAuth", INVALID_PURPOSE, null);
        }
    }

    private static List<String> extendedKeyUsage(X509Certificate car) throws CertificateException {
        try {
            List<String> usage = car.getExtendedKeyUsage();
            return usage == null ? List.of() : usage;
        } catch (CertificateParsingException e) {
            throw refusal("unreadable extended key usage", INVALID_PURPOSE, e);
        }
    }

    private static boolean sameKeyId(Optional<byte[]> authorityKeyId, X509Certificate ca) throws CertificateException {
        if (authorityKeyId.isEmpty()) {
            return true;
        }
        byte[] subjectKeyId = ca.getExtensionValue(SUBJECT_KEY_ID);
        if (subjectKeyId == null) {
            return true;
        }
        try {
            byte[] caKeyId = SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(subjectKeyId).getOctets())
                    .getKeyIdentifier();
            return Arrays.equals(caKeyId, authorityKeyId.get());
        } catch (IllegalArgumentException e) {
            throw new CertificateException("the fleet CA's subject key identifier is unreadable", e);
        }
    }

    private static Optional<byte[]> authorityKeyId(X509Certificate car) throws CertificateException {
        byte[] extension = car.getExtensionValue(AUTHORITY_KEY_ID);
        if (extension == null) {
            return Optional.empty();
        }
        try {
            AuthorityKeyIdentifier id = AuthorityKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(extension).getOctets());
            return Optional.ofNullable(id.getKeyIdentifier());
        } catch (IllegalArgumentException e) {
            throw refusal("unreadable authority key identifier", UNKNOWN_ISSUER, e);
        }
    }

    /** A refusal with the OpenSSL verify error that names it; on the JDK provider just a CertificateException. */
    private static CertificateException refusal(String message, int openSslError, Throwable cause) {
        return new OpenSslCertificateException(message, cause, openSslError);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    // The gateway is a server: it never checks a server certificate.
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the MQTT gateway does not check server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities.toArray(X509Certificate[]::new);
    }
}
