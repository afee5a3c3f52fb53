package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.handler.ssl.SslProvider;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.CertificateAuthority;
import io.tsunagu.server.fleet.PemKeys;
import io.tsunagu.server.testing.TestVins;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct check of a car's certificate against the fleet CA, with real certificates of our CA. */
class FleetCaTrustTest {
    static final Vin CAR = TestVins.northAmerican("1TSUFCAT", 1);
    static final String AUTH_TYPE = "EC";

    @TempDir
    Path dir;

    @Test
    void aCertificateTheFleetCaIssuedIsTrustedAloneOrWithTheCaBehindIt() {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), Clock.systemUTC());
        X509Certificate car = issue(ca, Duration.ofDays(1));
        FleetCaTrust trust = trust(ca, Clock.systemUTC());

        assertThatNoException().isThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {car}, AUTH_TYPE));
        assertThatNoException()
                .isThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {car, ca.caCertificate()}, AUTH_TYPE));
        assertThat(trust.getAcceptedIssuers()).containsExactly(ca.caCertificate());
    }

    @Test
    void aCertificateOfAnotherCaWithTheSameNameIsAnUnknownCa() {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), Clock.systemUTC());
        CertificateAuthority foreign = CertificateAuthority.open(dir.resolve("foreign"), Clock.systemUTC());
        X509Certificate forged = issue(foreign, Duration.ofDays(1));
        assertThat(forged.getIssuerX500Principal()).isEqualTo(ca.caCertificate().getSubjectX500Principal());

        Throwable refusal = catchThrowable(() -> trust(ca, Clock.systemUTC())
                .checkClientTrusted(new X509Certificate[] {forged, foreign.caCertificate()}, AUTH_TYPE));

        assertThat(openSslError(refusal)).isEqualTo(FleetCaTrust.UNKNOWN_ISSUER);
    }

    @Test
    void aCertificateWhoseSignatureWasAlteredIsASignatureFailure() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), Clock.systemUTC());
        byte[] der = issue(ca, Duration.ofDays(1)).getEncoded();
        der[der.length - 1] ^= 0x01; // the last byte of the ECDSA signature's s
        X509Certificate tampered = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));

        Throwable refusal = catchThrowable(
                () -> trust(ca, Clock.systemUTC()).checkClientTrusted(new X509Certificate[] {tampered}, AUTH_TYPE));

        assertThat(openSslError(refusal)).isEqualTo(FleetCaTrust.SIGNATURE_FAILURE);
    }

    @Test
    void aCertificateIsRefusedAfterItsValidityAndBeforeIt() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        CertificateAuthority.open(dir.resolve("ca"), at(now.minus(Duration.ofDays(1)))); // the CA: a day older
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), at(now));
        X509Certificate car = issue(ca, Duration.ofHours(1));
        X509Certificate[] chain = {car};

        assertThat(catchThrowable(
                        () -> trust(ca, at(now.plus(Duration.ofHours(2)))).checkClientTrusted(chain, AUTH_TYPE)))
                .isInstanceOf(CertificateExpiredException.class);
        // Issued certificates start 5 minutes in the past (clock skew); 10 minutes before is too early.
        assertThat(catchThrowable(
                        () -> trust(ca, at(now.minus(Duration.ofMinutes(10)))).checkClientTrusted(chain, AUTH_TYPE)))
                .isInstanceOf(CertificateNotYetValidException.class);
        assertThatNoException()
                .isThrownBy(
                        () -> trust(ca, at(now.plus(Duration.ofMinutes(59)))).checkClientTrusted(chain, AUTH_TYPE));
    }

    @Test
    void theServersOwnCertificateAndTheCaItselfAreNotClientCertificates() {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), Clock.systemUTC());
        X509Certificate server = ca.serverIdentity(List.of(), List.of()).certificate();
        FleetCaTrust trust = trust(ca, Clock.systemUTC());

        // serverAuth only: the fleet CA issued it, but not for a car.
        assertThat(openSslError(
                        catchThrowable(() -> trust.checkClientTrusted(new X509Certificate[] {server}, AUTH_TYPE))))
                .isEqualTo(FleetCaTrust.INVALID_PURPOSE);
        // The self-signed CA names itself as issuer and verifies, but is a CA.
        assertThat(openSslError(catchThrowable(
                        () -> trust.checkClientTrusted(new X509Certificate[] {ca.caCertificate()}, AUTH_TYPE))))
                .isEqualTo(FleetCaTrust.INVALID_PURPOSE);
    }

    @Test
    void anEmptyChainAndServerChecksAreRefused() {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), Clock.systemUTC());
        FleetCaTrust trust = trust(ca, Clock.systemUTC());
        X509Certificate car = issue(ca, Duration.ofDays(1));

        assertThat(catchThrowable(() -> trust.checkClientTrusted(new X509Certificate[0], AUTH_TYPE)))
                .hasMessageContaining("no certificate");
        assertThat(catchThrowable(() -> trust.checkServerTrusted(new X509Certificate[] {car}, AUTH_TYPE)))
                .hasMessageContaining("does not check server certificates");
    }

    @Test
    void theGatewayUsesThisCheckUnlessPkixIsConfigured() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), Clock.systemUTC());
        KeyStore store = PemKeys.trustStore(List.of(ca.caCertificate()));
        try {
            assertThat(GatewayTls.clientTrust(store, SslProvider.OPENSSL_REFCNT))
                    .isInstanceOf(FleetCaTrust.class);
            assertThat(GatewayTls.clientTrust(store, SslProvider.JDK)).isInstanceOf(FleetCaTrust.class);

            System.setProperty(GatewayTls.CLIENT_TRUST_PROPERTY, "pkix");
            assertThat(GatewayTls.clientTrust(store, SslProvider.OPENSSL_REFCNT))
                    .isInstanceOf(OpenSslClientTrust.class);
            assertThat(GatewayTls.clientTrust(store, SslProvider.JDK))
                    .isInstanceOf(X509ExtendedTrustManager.class)
                    .isNotInstanceOf(FleetCaTrust.class);

            System.setProperty(GatewayTls.CLIENT_TRUST_PROPERTY, "none");
            assertThat(catchThrowable(() -> GatewayTls.clientTrust(store, SslProvider.JDK)))
                    .isInstanceOf(TsunaguException.class)
                    .hasMessageContaining("must be fleet-ca or pkix");
        } finally {
            System.clearProperty(GatewayTls.CLIENT_TRUST_PROPERTY);
        }
    }

    private static FleetCaTrust trust(CertificateAuthority ca, Clock clock) {
        return new FleetCaTrust(List.of(ca.caCertificate()), clock);
    }

    private static X509Certificate issue(CertificateAuthority ca, Duration validity) {
        return PemKeys.certificate(ca.issueVehicle(CAR, validity).certificatePem());
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static int openSslError(Throwable refusal) {
        assertThat(refusal).isInstanceOf(OpenSslCertificateException.class);
        return ((OpenSslCertificateException) refusal).errorCode();
    }
}
