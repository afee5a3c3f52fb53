package io.tsunagu.agent;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the JDK key and trust managers for mutual TLS from PEM text, with the JDK alone (no BouncyCastle). */
final class PemTls {
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";
    // Only protects the in-memory key store that hands the key to the KeyManagerFactory.
    private static final char[] IN_MEMORY_PASSWORD = "tsunagu-agent".toCharArray();

    private PemTls() {}

    static KeyManagerFactory keyManagers(AgentCredentials credentials) {
        List<X509Certificate> chain = certificates(credentials.certificateChainPem(), "certificate chain");
        PrivateKey key = privateKey(
                credentials.privateKeyPem(), chain.get(0).getPublicKey().getAlgorithm());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new AgentException(
                    "invalid_credentials", "client key does not match its certificate: " + e, false, e);
        }
    }

    static TrustManagerFactory trustManagers(AgentCredentials credentials) {
        List<X509Certificate> cas = certificates(credentials.caPem(), "CA certificate");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new AgentException("invalid_credentials", "cannot build trust store: " + e, false, e);
        }
    }

    static List<X509Certificate> certificates(String pem, String what) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out =
                    factory
                            .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                            .stream()
                            .map(X509Certificate.class::cast)
                            .toList();
            if (out.isEmpty()) {
                throw new AgentException("invalid_credentials", "the " + what + " PEM holds no certificate", false);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new AgentException("invalid_credentials", "the " + what + " PEM is not X.509: " + e, false, e);
        }
    }

    static PrivateKey privateKey(String pem, String algorithm) {
        int begin = pem.indexOf(KEY_BEGIN);
        int end = pem.indexOf(KEY_END);
        if (begin < 0 || end < begin) {
            throw new AgentException("invalid_credentials", "private key must be a PKCS#8 'PRIVATE KEY' PEM", false);
        }
        String base64 = pem.substring(begin + KEY_BEGIN.length(), end).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new AgentException(
                    "invalid_credentials", "private key is not a valid PKCS#8 " + algorithm + " key: " + e, false, e);
        }
    }
}
