package io.tsunagu.server.fleet;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM text to and from JDK key objects, and PEM credentials into in-memory PKCS#12 {@link KeyStore}s for
 * {@code KeyManagerFactory}/{@code TrustManagerFactory}. Reads certificates ({@code BEGIN CERTIFICATE}) and private
 * keys in PKCS#8 ({@code BEGIN PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}) form; writes PKCS#8.
 * Errors never include key material.
 */
public final class PemKeys {
    /** Alias of the key entry in keystores built here. */
    public static final String KEY_ALIAS = "identity";

    private PemKeys() {}

    /** All certificates in a PEM text, in order. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException e) {
            throw invalid("unreadable certificate PEM: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw invalid("no BEGIN CERTIFICATE block in PEM text");
        }
        return certificates;
    }

    /** The first certificate in a PEM text. */
    public static X509Certificate certificate(String pem) {
        return certificates(pem).getFirst();
    }

    /** The first private key in a PEM text. */
    public static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException e) {
            // The parser's message may quote the input, so it is left out.
            throw invalid("unreadable private key PEM", e);
        }
        throw invalid("no unencrypted BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY block in PEM text");
    }

    /** A PKCS#12 keystore holding one key entry ({@link #KEY_ALIAS}) with the certificate and the CA chain. */
    public static KeyStore keyStore(String certificatePem, String privateKeyPem, String chainPem, char[] password) {
        List<X509Certificate> chain = new ArrayList<>(certificates(certificatePem));
        chain.addAll(certificates(chainPem));
        return keyStore(privateKey(privateKeyPem), chain, password);
    }

    /** A PKCS#12 keystore holding one key entry ({@link #KEY_ALIAS}); the key password equals the store password. */
    public static KeyStore keyStore(PrivateKey key, List<X509Certificate> chain, char[] password) {
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry(KEY_ALIAS, key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw invalid("cannot build keystore: " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 truststore with every certificate of a PEM text as a trusted entry ({@code ca-0}, {@code ca-1}...). */
    public static KeyStore trustStore(String caCertificatesPem) {
        return trustStore(certificates(caCertificatesPem));
    }

    /** A PKCS#12 truststore with each certificate as a trusted entry ({@code ca-0}, {@code ca-1}...). */
    public static KeyStore trustStore(List<X509Certificate> caCertificates) {
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < caCertificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, caCertificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw invalid("cannot build truststore: " + e.getMessage(), e);
        }
    }

    /** The certificate as PEM ({@code BEGIN CERTIFICATE}). */
    public static String toPem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw invalid("cannot encode certificate: " + e.getMessage(), e);
        }
    }

    /** The private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). Treat the result as a secret. */
    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("writing to a StringWriter failed", e);
        }
        return out.toString();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot initialise an empty PKCS12 keystore", e);
        }
        return store;
    }

    private static FleetException invalid(String message) {
        return new FleetException(FleetException.INVALID_CERTIFICATE_REQUEST, message);
    }

    private static FleetException invalid(String message, Exception cause) {
        return new FleetException(FleetException.INVALID_CERTIFICATE_REQUEST, message, false, cause);
    }
}
