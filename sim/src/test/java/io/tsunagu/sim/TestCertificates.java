package io.tsunagu.sim;

import io.tsunagu.agent.AgentCredentials;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed-CA client credentials for tests that need parseable PEM but no server. */
final class TestCertificates {
    private TestCertificates() {}

    static AgentCredentials forCn(String cn) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair ca = generator.generateKeyPair();
            KeyPair client = generator.generateKeyPair();
            X509Certificate caCert = certificate("CN=Test CA", "CN=Test CA", ca, ca);
            X509Certificate clientCert = certificate("CN=Test CA", "CN=" + cn, client, ca);
            return AgentCredentials.fromPem(
                    pem("CERTIFICATE", clientCert.getEncoded()),
                    pem("PRIVATE KEY", client.getPrivate().getEncoded()),
                    pem("CERTIFICATE", caCert.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String issuer, String subject, KeyPair keys, KeyPair signer)
            throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(3_600)),
                Date.from(now.plusSeconds(86_400)),
                new X500Name(subject),
                keys.getPublic());
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
