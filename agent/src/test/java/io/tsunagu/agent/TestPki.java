package io.tsunagu.agent;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away fleet CA for tests: issues a server certificate for localhost and client certificates with CN = VIN. */
public final class TestPki {
    public static final char[] STORE_PASSWORD = "changeit".toCharArray();

    private final KeyPair caKeys = ecKeys();
    private final X509Certificate caCert;
    private final AtomicLong serial = new AtomicLong(1);

    public TestPki() throws Exception {
        X509v3CertificateBuilder builder = builder("CN=Test Fleet CA", caKeys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caCert = sign(builder);
    }

    /** Client credentials whose certificate's CN is {@code cn}. */
    public AgentCredentials client(String cn) throws Exception {
        KeyPair keys = ecKeys();
        X509v3CertificateBuilder builder = builder("CN=" + cn, keys);
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate cert = sign(builder);
        return AgentCredentials.fromPem(
                pem("CERTIFICATE", cert.getEncoded()),
                pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
                caPem());
    }

    /** Writes a PKCS#12 key store with the server key (SAN localhost, 127.0.0.1) and a trust store with the CA. */
    public void writeServerStores(Path keyStore, Path trustStore) throws Exception {
        KeyPair keys = ecKeys();
        X509v3CertificateBuilder builder = builder("CN=localhost", keys);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        }));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate cert = sign(builder);
        KeyStore keys12 = KeyStore.getInstance("PKCS12");
        keys12.load(null, null);
        keys12.setKeyEntry("server", keys.getPrivate(), STORE_PASSWORD, new Certificate[] {cert, caCert});
        store(keys12, keyStore);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        store(trust, trustStore);
    }

    public String caPem() throws Exception {
        return pem("CERTIFICATE", caCert.getEncoded());
    }

    private X509v3CertificateBuilder builder(String subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                new X500Name("CN=Test Fleet CA"),
                BigInteger.valueOf(serial.getAndIncrement()),
                Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)),
                new X500Name(subject),
                keys.getPublic());
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static void store(KeyStore store, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
