package io.tsunagu.server.fleet.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds ECDSA P-256 key pairs and X.509 v3 certificates (RFC 5280) signed with SHA256withECDSA. Keys and
 * certificates are plain JDK objects (no BouncyCastle provider is registered), so the JDK's TLS stack uses them
 * directly. Thread-safe.
 */
public final class X509Issuer {
    private static final String CURVE = "secp256r1";
    private static final String SIGNATURE = "SHA256withECDSA";
    /** Serial numbers carry 128 random bits (RFC 5280 allows up to 20 octets; CA/B Forum asks for at least 64). */
    private static final int SERIAL_BITS = 128;

    private final SecureRandom random;

    public X509Issuer(SecureRandom random) {
        this.random = random;
    }

    /** A fresh P-256 key pair. */
    public KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(CURVE), random);
        return generator.generateKeyPair();
    }

    /** A random positive serial number of up to 128 bits. */
    public BigInteger newSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(SERIAL_BITS, random);
        } while (serial.signum() == 0);
        return serial;
    }

    /** A self-signed root CA certificate (basicConstraints CA, path length 0: it signs only end entities). */
    public X509Certificate selfSignedCa(KeyPair keys, String commonName, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        X500Name name = commonName(commonName);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, newSerial(), Date.from(notBefore), Date.from(notAfter), name, keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(keys.getPublic()));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode CA extensions", e);
        }
        return sign(builder, keys.getPrivate());
    }

    /** An end-entity certificate for TLS clients (extKeyUsage clientAuth), subject {@code CN=commonName}. */
    public X509Certificate clientCertificate(Authority ca, PublicKey subjectKey, String commonName, Validity validity)
            throws GeneralSecurityException {
        X509v3CertificateBuilder builder =
                endEntity(ca, subjectKey, commonName, validity, KeyPurposeId.id_kp_clientAuth);
        return sign(builder, ca.key());
    }

    /** An end-entity certificate for TLS servers (extKeyUsage serverAuth) with DNS and IP subject alternative names. */
    public X509Certificate serverCertificate(
            Authority ca,
            PublicKey subjectKey,
            String commonName,
            List<String> dnsNames,
            List<String> ipAddresses,
            Validity validity)
            throws GeneralSecurityException {
        X509v3CertificateBuilder builder =
                endEntity(ca, subjectKey, commonName, validity, KeyPurposeId.id_kp_serverAuth);
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        try {
            builder.addExtension(
                    Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode subject alternative names", e);
        }
        return sign(builder, ca.key());
    }

    /** The signing CA: its certificate (issuer name, authority key id) and private key. */
    public record Authority(X509Certificate certificate, PrivateKey key) {}

    /** A validity period; the serial number is chosen by the caller so it can be recorded first. */
    public record Validity(BigInteger serial, Instant notBefore, Instant notAfter) {}

    private X509v3CertificateBuilder endEntity(
            Authority ca, PublicKey subjectKey, String commonName, Validity validity, KeyPurposeId purpose)
            throws GeneralSecurityException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                ca.certificate(),
                validity.serial(),
                Date.from(validity.notBefore()),
                Date.from(validity.notAfter()),
                commonName(commonName),
                subjectKey);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca.certificate()));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode certificate extensions", e);
        }
        return builder;
    }

    private static X500Name commonName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create " + SIGNATURE + " signer", e);
        }
    }
}
