package io.tsunagu.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.testing.ManualClock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    static final Vin VIN = Vin.of("WVWZZZ1JZXW000001");
    static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
    static final String SERVER_AUTH_OID = "1.3.6.1.5.5.7.3.1";
    static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    Clock clock = Clock.systemUTC();

    @Test
    void createsCaOnFirstStartWithOwnerOnlyKeyAndLoadsTheSameCaLater() throws Exception {
        CertificateAuthority first = CertificateAuthority.open(dir, clock);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key.pem"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("ca.key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        X509Certificate ca = first.caCertificate();
        assertThat(ca.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=Tsunagu Fleet CA"));
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(Duration.between(
                        ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()))
                .isGreaterThan(Duration.ofDays(3650));

        CertificateAuthority second = CertificateAuthority.open(dir, clock);
        assertThat(second.caCertificate()).isEqualTo(ca);
        assertThat(second.caCertificatePem()).isEqualTo(first.caCertificatePem());
    }

    @Test
    void refusesToStartWithKeyButNoCertificate() throws Exception {
        CertificateAuthority.open(dir, clock);
        Files.delete(dir.resolve("ca.cert.pem"));

        assertThatThrownBy(() -> CertificateAuthority.open(dir, clock))
                .isInstanceOf(FleetException.class)
                .hasMessageContaining("but not")
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.CA_UNAVAILABLE);
    }

    @Test
    void issuedVehicleCertificateChainsToCaWithVinAsCommonNameAndClientAuth() throws Exception {
        CertificateAuthority authority = CertificateAuthority.open(dir, clock);

        IssuedCredentials credentials = authority.issueVehicle(VIN, Duration.ofDays(30));
        X509Certificate certificate = PemKeys.certificate(credentials.certificatePem());

        validatePkix(certificate, authority.caCertificate());
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=" + VIN.value()));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH_OID);
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getSerialNumber())
                .isEqualTo(credentials.serial())
                .isPositive();
        assertThat(credentials.serial().bitLength()).isBetween(100, 128);
        assertThat(credentials.notAfter()).isEqualTo(certificate.getNotAfter().toInstant());
        assertThat(credentials.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(credentials.caCertificatePem()).isEqualTo(authority.caCertificatePem());
        assertThat(credentials.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void successiveVehicleCertificatesHaveDistinctSerialsAndKeys() {
        CertificateAuthority authority = CertificateAuthority.open(dir, clock);

        IssuedCredentials a = authority.issueVehicle(VIN, Duration.ofDays(1));
        IssuedCredentials b = authority.issueVehicle(VIN, Duration.ofDays(1));

        assertThat(a.serial()).isNotEqualTo(b.serial());
        assertThat(a.privateKeyPem()).isNotEqualTo(b.privateKeyPem());
    }

    @Test
    void rejectsNonPositiveValidity() {
        CertificateAuthority authority = CertificateAuthority.open(dir, clock);

        assertThatThrownBy(() -> authority.issueVehicle(VIN, Duration.ZERO))
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.INVALID_CERTIFICATE_REQUEST);
    }

    @Test
    void serverKeystoreFileLoadsWithPasswordAsPkcs12AndAsJksAndCertificateNamesLocalhost() throws Exception {
        CertificateAuthority authority = CertificateAuthority.open(dir, clock);
        ServerIdentity identity = authority.serverIdentity(List.of(), List.of());

        Path file = identity.writeKeyStore(dir.resolve("server.p12"), PASSWORD);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        for (String type : List.of("PKCS12", "JKS")) {
            KeyStore store = load(file, type);
            X509Certificate certificate = (X509Certificate) store.getCertificate(PemKeys.KEY_ALIAS);
            assertThat(store.getKey(PemKeys.KEY_ALIAS, PASSWORD)).isNotNull();
            assertThat(certificate.getSubjectAlternativeNames())
                    .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
            assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH_OID);
            validatePkix(certificate, authority.caCertificate());
        }
        KeyStore trust = load(identity.writeTrustStore(dir.resolve("trust.p12"), PASSWORD), "JKS");
        assertThat(trust.getCertificate("ca-0")).isEqualTo(authority.caCertificate());
    }

    @Test
    void serverCertificateIsReusedForSameNamesAndReissuedWhenNamesChangeOrExpiryNears() {
        ManualClock time = new ManualClock(Instant.now());
        CertificateAuthority authority = CertificateAuthority.open(dir, time);
        X509Certificate first = authority
                .serverIdentity(List.of("broker.example"), List.of("::1"))
                .certificate();

        X509Certificate again = CertificateAuthority.open(dir, time)
                .serverIdentity(List.of("BROKER.example"), List.of("0:0:0:0:0:0:0:1"))
                .certificate();
        X509Certificate renamed =
                authority.serverIdentity(List.of("other.example"), List.of()).certificate();
        time.advance(Duration.ofDays(340));
        X509Certificate renewed =
                authority.serverIdentity(List.of("other.example"), List.of()).certificate();

        assertThat(again).isEqualTo(first);
        assertThat(renamed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(renewed.getSerialNumber()).isNotEqualTo(renamed.getSerialNumber());
        assertThat(renewed.getNotAfter()).isAfter(renamed.getNotAfter());
    }

    @Test
    void rejectsMalformedServerNames() {
        CertificateAuthority authority = CertificateAuthority.open(dir, clock);

        assertThatThrownBy(() -> authority.serverIdentity(List.of("bad name"), List.of()))
                .hasMessageContaining("'bad name' is not a valid DNS name");
        assertThatThrownBy(() -> authority.serverIdentity(List.of(), List.of("example.com")))
                .hasMessageContaining("not an IPv4 or IPv6 literal");
    }

    static void validatePkix(X509Certificate certificate, X509Certificate ca) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        CertPath path = factory.generateCertPath(List.of(certificate));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(Instant.now()));
        java.security.cert.CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }

    private static KeyStore load(Path file, String type) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
