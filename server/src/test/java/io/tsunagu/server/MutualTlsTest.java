package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.netty.handler.ssl.OpenSsl;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.CertificateAuthority;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.PemKeys;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.fleet.internal.X509Issuer;
import io.tsunagu.server.ingest.mqtt.TlsProvider;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.testing.TestCar;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT/TLS listener over real loopback TLS: only a certificate that chains to the fleet CA, is unexpired, names a
 * VIN, matches the client id and is trusted by the registry gets a session. Refusals after the TLS handshake are
 * counted by reason in {@code tsunagu_mqtt_auth_refused_total}; handshake failures never reach MQTT and are counted
 * apart, in {@code tsunagu_mqtt_tls_handshake_failures_total}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsTest {
    static final String REFUSED = "tsunagu_mqtt_auth_refused_total";
    static final String CONNECTS = "tsunagu_mqtt_connects_total";
    static final String HANDSHAKE_FAILURES = "tsunagu_mqtt_tls_handshake_failures_total";
    static final Set<String> REASONS =
            Set.of("no_client_certificate", "certificate_not_a_vehicle", "client_id_mismatch", "certificate_revoked");

    TestServer server;
    Path dataDir;

    @BeforeAll
    void start(@TempDir Path dir) {
        dataDir = dir;
        server = TestServer.start(dir.resolve("server"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void registeredCarWithItsOwnCertificateAndClientIdConnects() {
        Vin vin = TestVins.northAmerican("1TSUMTLS", 1);
        IssuedCredentials credentials = server.register(vin, "alice");
        long connects = metrics().value(CONNECTS);

        try (TestCar car = TestCar.connect(vin, credentials, server.mqttPort())) {
            assertThat(car.connected()).isTrue();
            assertThat(metrics().value(CONNECTS)).isEqualTo(connects + 1);
        }
    }

    @Test
    void clientWithoutCertificateFailsTheTlsHandshake() {
        Vin vin = TestVins.northAmerican("1TSUMTLS", 2);
        server.register(vin, "alice");
        long connects = metrics().value(CONNECTS);
        long refused = refusedTotal();

        TestCar car = TestCar.withoutCertificate(vin.value(), vin, caPem(), server.mqttPort());

        long handshakeFailures = metrics().value(HANDSHAKE_FAILURES);

        assertThat(serverAlertOnConnect(car)).contains("certificate_required");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metrics().value(HANDSHAKE_FAILURES) == handshakeFailures + 1);
        // The listener requires a client certificate, so the handshake fails before any CONNECT reaches the gateway:
        // only the handshake failure is counted (not no_client_certificate, which guards a misconfigured listener).
        assertThat(metrics().value(CONNECTS)).isEqualTo(connects);
        assertThat(refusedTotal()).isEqualTo(refused);
    }

    @Test
    void certificateFromForeignCaIsRefusedEvenIfTheRegistryKnowsItsSerial() {
        Vin vin = TestVins.northAmerican("1TSUMTLS", 3);
        server.register(vin, "alice");
        CertificateAuthority foreign = CertificateAuthority.open(dataDir.resolve("foreign-ca"), Clock.systemUTC());
        IssuedCredentials forged = foreign.issueVehicle(vin, Duration.ofDays(1));
        record(vin, forged);
        long connects = metrics().value(CONNECTS);

        TestCar car = TestCar.create(
                vin.value(),
                vin,
                TestCar.sslConfig(forged.certificatePem(), forged.privateKeyPem(), forged.caCertificatePem(), caPem()),
                server.mqttPort());

        // The JDK's generic certificate alert; OpenSSL names the reason (RFC 8446 §6.2).
        assertThat(serverAlertOnConnect(car)).contains(openSslServer() ? "unknown_ca" : "certificate_unknown");
        assertThat(metrics().value(CONNECTS)).isEqualTo(connects);
    }

    @Test
    void expiredCertificateFromTheFleetCaIsRefused() {
        Vin vin = TestVins.northAmerican("1TSUMTLS", 4);
        server.register(vin, "alice");
        // issueVehicle(vin, 1 min) on the live CA is NOT expired (notBefore is back-dated 5 min, notAfter = now + 1
        // min), so the same CA key is opened with a clock one day back to issue a certificate that ended yesterday.
        Instant yesterday = Instant.now().minus(Duration.ofDays(1));
        CertificateAuthority pastCa =
                CertificateAuthority.open(dataDir.resolve("server/ca"), Clock.fixed(yesterday, ZoneOffset.UTC));
        IssuedCredentials expired = pastCa.issueVehicle(vin, Duration.ofHours(1));
        assertThat(expired.notAfter()).isBefore(Instant.now());
        assertThat(expired.caCertificatePem()).isEqualTo(caPem());
        record(vin, expired);
        long connects = metrics().value(CONNECTS);

        TestCar car = TestCar.create(vin.value(), vin, expired, server.mqttPort());

        // Refused by the broker's PKIX validation during the handshake (the registry would also refuse it).
        assertThat(serverAlertOnConnect(car)).contains(openSslServer() ? "certificate_expired" : "certificate_unknown");
        assertThat(metrics().value(CONNECTS)).isEqualTo(connects);
    }

    @Test
    void clientIdOtherThanTheCertificatesVinIsNotAuthorizedAndTheImpersonatedCarKeepsItsSession() {
        Vin attacker = TestVins.northAmerican("1TSUMTLS", 5);
        Vin victim = TestVins.northAmerican("1TSUMTLS", 6);
        IssuedCredentials attackerCredentials = server.register(attacker, "alice");
        IssuedCredentials victimCredentials = server.register(victim, "bob");
        long refused = metrics().value(REFUSED, "reason", "client_id_mismatch");

        try (TestCar victimCar = TestCar.connect(victim, victimCredentials, server.mqttPort())) {
            TestCar impostor = TestCar.create(victim.value(), attacker, attackerCredentials, server.mqttPort());

            assertThat(impostor.connectExpectingRefusal()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            assertThat(metrics().value(REFUSED, "reason", "client_id_mismatch")).isEqualTo(refused + 1);
            assertThat(victimCar.connected())
                    .as("a refused CONNECT with the victim's client id must not take over its session")
                    .isTrue();
            assertThat(victimCar
                            .sendJson("{\"ts\": 1764064800000, \"signals\": {\"Vehicle.Speed\": 1}}")
                            .success())
                    .isTrue();
        }
    }

    @Test
    void certificateWhoseCommonNameIsNotAVinIsNotAuthorized() throws Exception {
        String commonName = "gateway-probe-7";
        X509Issuer issuer = new X509Issuer(new SecureRandom());
        Path caDir = dataDir.resolve("server/ca");
        X509Issuer.Authority ca = new X509Issuer.Authority(
                PemKeys.certificate(Files.readString(caDir.resolve(CertificateAuthority.CERT_FILE))),
                PemKeys.privateKey(Files.readString(caDir.resolve(CertificateAuthority.KEY_FILE))));
        KeyPair keys = issuer.newKeyPair();
        Instant now = Instant.now();
        X509Certificate certificate = issuer.clientCertificate(
                ca,
                keys.getPublic(),
                commonName,
                new X509Issuer.Validity(issuer.newSerial(), now.minusSeconds(60), now.plus(Duration.ofDays(1))));
        long refused = metrics().value(REFUSED, "reason", "certificate_not_a_vehicle");

        TestCar car = TestCar.create(
                commonName,
                TestVins.northAmerican("1TSUMTLS", 7),
                PemKeys.toPem(certificate),
                PemKeys.toPem(keys.getPrivate()),
                caPem(),
                server.mqttPort());

        assertThat(car.connectExpectingRefusal()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(metrics().value(REFUSED, "reason", "certificate_not_a_vehicle"))
                .isEqualTo(refused + 1);
    }

    @Test
    void certificateFromTheFleetCaThatTheRegistryNeverRecordedIsNotAuthorized() {
        Vin vin = TestVins.northAmerican("1TSUMTLS", 8);
        server.register(vin, "alice");
        // Issued by the real CA but never recorded (e.g. a leaked signing request): TLS accepts it, the registry not.
        IssuedCredentials unrecorded = server.server().authority().issueVehicle(vin, Duration.ofDays(1));
        long refused = metrics().value(REFUSED, "reason", "certificate_revoked");

        TestCar car = TestCar.create(vin.value(), vin, unrecorded, server.mqttPort());

        assertThat(car.connectExpectingRefusal()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(metrics().value(REFUSED, "reason", "certificate_revoked")).isEqualTo(refused + 1);
    }

    /**
     * The fatal TLS alert the broker sent during the handshake (the connection never reached MQTT), lower case: the
     * car's client reports it as the JDK ({@code Received fatal alert: certificate_unknown}) or OpenSSL ({@code
     * SSLV3_ALERT_CERTIFICATE_UNKNOWN}) does, whichever its SslContext runs on.
     */
    private static String serverAlertOnConnect(TestCar car) {
        Throwable thrown = catchThrowable(car::connect);
        assertThat(thrown).as("connect must fail").isNotNull().hasRootCauseInstanceOf(SSLException.class);
        assertThat(car.connected()).isFalse();
        return rootCause(thrown).getMessage().toLowerCase(Locale.ROOT);
    }

    /** True if the server's gateway runs on OpenSSL (the default where netty-tcnative loads; GatewayTlsTest). */
    private static boolean openSslServer() {
        return TlsProvider.configured() != TlsProvider.JDK && OpenSsl.isAvailable();
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void record(Vin vin, IssuedCredentials credentials) {
        X509Certificate certificate = PemKeys.certificate(credentials.certificatePem());
        VehicleRegistry registry = server.server().registry();
        registry.recordCertificate(
                vin,
                credentials.serial(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }

    private String caPem() {
        return server.server().authority().caCertificatePem();
    }

    private Metrics metrics() {
        return server.server().metrics();
    }

    private long refusedTotal() {
        return REASONS.stream()
                .mapToLong(r -> metrics().value(REFUSED, "reason", r))
                .sum();
    }
}
