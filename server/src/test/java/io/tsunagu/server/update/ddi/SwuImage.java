package io.tsunagu.server.update.ddi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A signed SWUpdate image (.swu) for interop tests: a cpio "newc" archive of {@code sw-description} (libconfig), its
 * detached CMS signature {@code sw-description.sig} (what Debian's swupdate, built for signed images, requires) and
 * one payload that the {@code rawfile} handler writes to {@code installPath}. The signer is a fresh self-signed RSA
 * certificate with the {@code emailProtection} purpose swupdate checks by default; pass {@link #signerPem()} as {@code
 * -k}.
 */
final class SwuImage {
    static final String HARDWARE_BOARD = "tsunagu-sim";
    static final String HARDWARE_REVISION = "1.0";

    private final byte[] archive;
    private final String signerPem;

    private SwuImage(byte[] archive, String signerPem) {
        this.archive = archive;
        this.signerPem = signerPem;
    }

    static SwuImage of(String version, String payloadName, byte[] payload, String installPath) throws Exception {
        String description = "software =\n{\n"
                + "\tversion = \"" + version + "\";\n"
                + "\tdescription = \"Tsunagu hawkBit DDI interop test\";\n"
                + "\thardware-compatibility: [ \"" + HARDWARE_REVISION + "\" ];\n"
                + "\timages: (\n\t\t{\n"
                + "\t\t\tfilename = \"" + payloadName + "\";\n"
                + "\t\t\ttype = \"rawfile\";\n"
                + "\t\t\tpath = \"" + installPath + "\";\n"
                + "\t\t\tsha256 = \""
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload))
                + "\";\n"
                + "\t\t}\n\t);\n}\n";
        byte[] descriptionBytes = description.getBytes(StandardCharsets.US_ASCII);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X509Certificate signer = selfSigned(keys);
        byte[] signature = sign(descriptionBytes, keys, signer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW)) {
            add(cpio, "sw-description", descriptionBytes);
            add(cpio, "sw-description.sig", signature);
            add(cpio, payloadName, payload);
        }
        return new SwuImage(out.toByteArray(), io.tsunagu.server.fleet.PemKeys.toPem(signer));
    }

    byte[] bytes() {
        return archive.clone();
    }

    String signerPem() {
        return signerPem;
    }

    private static void add(CpioArchiveOutputStream cpio, String name, byte[] content) throws IOException {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, content.length);
        entry.setMode(CpioConstants.C_ISREG | 0644);
        entry.setNumberOfLinks(1);
        cpio.putArchiveEntry(entry);
        cpio.write(content);
        cpio.closeArchiveEntry();
    }

    private static X509Certificate selfSigned(KeyPair keys)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500Name("CN=Tsunagu DDI test signer");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    /** A detached CMS SignedData with the signer certificate included, as {@code openssl cms -sign -binary} makes. */
    private static byte[] sign(byte[] content, KeyPair keys, X509Certificate signer)
            throws GeneralSecurityException, OperatorCreationException, CMSException, IOException {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(
                new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()), signer));
        generator.addCertificates(new JcaCertStore(List.of(signer)));
        return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
    }
}
