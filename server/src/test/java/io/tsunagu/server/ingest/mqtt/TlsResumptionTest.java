package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.ManualClock;
import io.tsunagu.server.testing.TestVins;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 session resumption on the gateway (OpenSSL), over real TLS sockets: a reconnecting car resumes its own
 * session from its ticket, and every CONNECT still checks the certificate the session carries (revocation, CN).
 * Resumption is asserted on both sides: the client's engine reports the session reused and the gateway counts the
 * handshake as resumed.
 */
class TlsResumptionTest {
    static final Vin CAR = TestVins.northAmerican("1TSURSME", 1);
    static final String HANDSHAKES = "tsunagu_mqtt_tls_handshakes_total";
    /** The port the car knows the gateway by: its client session cache is keyed by host and port. */
    static final int PEER_PORT = 8883;

    static final Duration LIFETIME = Duration.ofHours(1);

    @TempDir
    Path dir;

    final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    final ManualClock clock = new ManualClock(Instant.now());
    private SslContext carTls;

    @AfterEach
    void releaseCarTls() {
        if (carTls != null) {
            ReferenceCountUtil.release(carTls);
        }
    }

    @Test
    void aCarThatReconnectsWithItsSavedSessionResumesItAndIsAccepted() throws Exception {
        try (GatewayFixture fixture = fixture(new TlsResumption(true, LIFETIME))) {
            carTls = carTls(fixture.issue(CAR));

            assertThat(connect(fixture).returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            Connect again = connect(fixture);

            assertThat(again.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(again.resumed).isTrue();
            assertThat(fixture.metrics.value(HANDSHAKES, "kind", "full")).isEqualTo(1);
            assertThat(fixture.metrics.value(HANDSHAKES, "kind", "resumed")).isEqualTo(1);
            assertThat(fixture.metrics.value("tsunagu_mqtt_connects_total")).isEqualTo(2);
        }
    }

    @Test
    void aRevokedCarThatResumesItsSessionIsRefusedAtConnectAndCounted() throws Exception {
        try (GatewayFixture fixture = fixture(new TlsResumption(true, LIFETIME))) {
            IssuedCredentials credentials = fixture.issue(CAR);
            carTls = carTls(credentials);
            assertThat(connect(fixture).returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

            revoked.add(credentials.serial());
            Connect again = connect(fixture);

            assertThat(again.resumed).isTrue();
            assertThat(again.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
            assertThat(fixture.metrics.value(HANDSHAKES, "kind", "resumed")).isEqualTo(1);
            assertThat(fixture.metrics.value("tsunagu_mqtt_auth_refused_total", "reason", "certificate_revoked"))
                    .isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !fixture.gateway.online(CAR));
        }
    }

    @Test
    void onTheJdkProviderARevokedCarThatResumesIsRefusedAtConnectToo() throws Exception {
        try (GatewayFixture fixture = fixture(new TlsResumption(true, LIFETIME), TlsProvider.JDK)) {
            IssuedCredentials credentials = fixture.issue(CAR);
            carTls = carTls(credentials);
            Connect first = connect(fixture);
            Connect resumed = connect(fixture);
            revoked.add(credentials.serial());
            Connect afterRevocation = connect(fixture);

            assertThat(List.of(first.resumed, resumed.resumed, afterRevocation.resumed))
                    .containsExactly(false, true, true);
            assertThat(resumed.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(afterRevocation.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
            assertThat(fixture.metrics.value(HANDSHAKES, "kind", "unknown")).isEqualTo(3);
        }
    }

    @Test
    void aCarWhoseCertificateExpiredSinceItsFullHandshakeIsRefusedWhenItResumes() throws Exception {
        try (GatewayFixture fixture = fixture(new TlsResumption(true, LIFETIME))) {
            carTls = carTls(fixture.authority.issueVehicle(CAR, Duration.ofMinutes(30)));
            assertThat(connect(fixture).returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

            clock.advance(Duration.ofMinutes(31)); // the ticket (1 h) outlives the certificate
            Connect again = connect(fixture);

            assertThat(again.resumed).isTrue();
            assertThat(again.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
            assertThat(fixture.metrics.value("tsunagu_mqtt_auth_refused_total", "reason", "certificate_expired"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aTicketOfThePreviousKeyStillResumesAfterOneRotation() throws Exception {
        try (GatewayFixture fixture = fixture(new TlsResumption(true, LIFETIME))) {
            carTls = carTls(fixture.issue(CAR));
            connect(fixture);

            clock.advance(LIFETIME);
            assertThat(fixture.gateway.rotateTicketKeys()).isTrue();
            Connect again = connect(fixture);

            assertThat(again.resumed).isTrue();
            assertThat(again.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
    }

    @Test
    void aTicketOfAKeyNoLongerAcceptedFallsBackToAFullHandshake() throws Exception {
        try (GatewayFixture fixture = fixture(new TlsResumption(true, LIFETIME))) {
            carTls = carTls(fixture.issue(CAR));
            connect(fixture);

            for (int rotation = 0; rotation < 2; rotation++) { // the ticket's key is now neither current nor previous
                clock.advance(LIFETIME);
                assertThat(fixture.gateway.rotateTicketKeys()).isTrue();
            }
            Connect again = connect(fixture);

            assertThat(again.resumed).isFalse();
            assertThat(again.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(fixture.metrics.value(HANDSHAKES, "kind", "full")).isEqualTo(2);
            assertThat(fixture.metrics.value(HANDSHAKES, "kind", "resumed")).isZero();
        }
    }

    @Test
    void theKeyFileIsOwnerOnlyAndATicketFromBeforeARestartResumesAfterIt() throws Exception {
        TlsResumption resumption = new TlsResumption(true, LIFETIME);
        try (GatewayFixture before = fixture(resumption)) {
            carTls = carTls(before.issue(CAR));
            assertThat(connect(before).resumed).isFalse();
        }
        Path keyFile = dir.resolve(TicketKeys.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        String keysBefore = Files.readString(keyFile);

        try (GatewayFixture after = fixture(resumption)) { // same data directory, new process state
            Connect again = connect(after);

            assertThat(again.resumed).isTrue();
            assertThat(again.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(after.metrics.value(HANDSHAKES, "kind", "resumed")).isEqualTo(1);
        }
        assertThat(Files.readString(keyFile)).isEqualTo(keysBefore);
    }

    @Test
    void withResumptionOffEveryConnectIsAFullHandshake() throws Exception {
        try (GatewayFixture fixture = fixture(TlsResumption.off())) {
            carTls = carTls(fixture.issue(CAR));
            connect(fixture);
            Connect again = connect(fixture);

            assertThat(again.resumed).isFalse();
            assertThat(again.returnCode).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(fixture.metrics.value(HANDSHAKES, "kind", "full")).isEqualTo(2);
            assertThat(Files.exists(dir.resolve(TicketKeys.FILE_NAME))).isFalse();
        }
    }

    @Test
    void anotherCarNeverResumesThisCarsSession() throws Exception {
        Vin other = TestVins.northAmerican("1TSURSME", 2);
        try (GatewayFixture fixture = fixture(new TlsResumption(true, LIFETIME))) {
            carTls = carTls(fixture.issue(CAR));
            connect(fixture);
            SslContext otherTls = carTls(fixture.issue(other));
            try (RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), otherTls, PEER_PORT)) {
                MqttConnAckMessage ack = (MqttConnAckMessage)
                        client.connect(other.value(), MqttVersion.MQTT_5, 60, MqttProperties.NO_PROPERTIES);

                // Each car's context has its own session cache: the other car's first connect is a full handshake.
                assertThat(client.sessionReused()).isFalse();
                assertThat(ack.variableHeader().connectReturnCode())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            } finally {
                ReferenceCountUtil.release(otherTls);
            }
        }
    }

    /** What one connect of the car saw. */
    record Connect(MqttConnectReturnCode returnCode, boolean resumed) {}

    /** Connects the car with its saved TLS context, sends CONNECT, reads CONNACK and disconnects. */
    private Connect connect(GatewayFixture fixture) throws Exception {
        try (RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), carTls, PEER_PORT)) {
            MqttConnAckMessage ack = (MqttConnAckMessage)
                    client.connect(CAR.value(), MqttVersion.MQTT_5, 60, MqttProperties.NO_PROPERTIES);
            return new Connect(ack.variableHeader().connectReturnCode(), client.sessionReused());
        } finally {
            await().atMost(Duration.ofSeconds(10)).until(() -> !fixture.gateway.online(CAR));
        }
    }

    private static SslContext carTls(IssuedCredentials credentials) throws Exception {
        return RawMqttClient.clientContext(Optional.of(credentials), credentials.caCertificatePem());
    }

    private GatewayFixture fixture(TlsResumption resumption) {
        return fixture(resumption, TlsProvider.OPENSSL);
    }

    private GatewayFixture fixture(TlsResumption resumption, TlsProvider provider) {
        return new GatewayFixture(
                dir,
                16,
                64 * 1024,
                provider,
                (vin, serial) -> !revoked.contains(serial),
                GatewayTransport.configured(),
                resumption,
                clock);
    }
}
