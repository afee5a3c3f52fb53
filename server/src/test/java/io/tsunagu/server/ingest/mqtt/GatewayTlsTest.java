package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.CertificateAuthority;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.PemKeys;
import io.tsunagu.server.testing.TestVins;
import java.math.BigInteger;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway's TLS on both providers (JDK and OpenSSL): the same certificates get through and the same are refused,
 * in the handshake or at CONNECT. The alerts are read by a client on the JDK's TLS, so their names are comparable.
 */
class GatewayTlsTest {
    static final Vin CAR = TestVins.northAmerican("1TSUGTLS", 1);
    static final String HANDSHAKE_FAILURES = "tsunagu_mqtt_tls_handshake_failures_total";

    @TempDir
    Path dir;

    /** Serials the fixture's registry refuses (revoked). */
    final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();

    @Test
    void openSslLoadsOnThisMachineAndIsTheDefaultWhileTheJdkCanBeForced() {
        assertThat(OpenSsl.isAvailable())
                .as("netty-tcnative's BoringSSL: %s", OpenSsl.unavailabilityCause())
                .isTrue();
        assertThat(GatewayTls.provider(TlsProvider.AUTO)).isEqualTo(SslProvider.OPENSSL_REFCNT);
        assertThat(GatewayTls.provider(TlsProvider.OPENSSL)).isEqualTo(SslProvider.OPENSSL_REFCNT);
        assertThat(GatewayTls.provider(TlsProvider.JDK)).isEqualTo(SslProvider.JDK);
    }

    @ParameterizedTest
    @EnumSource(names = {"JDK", "OPENSSL"})
    void aCarWithItsFleetCertificateConnectsAndIsKnownByItsVin(TlsProvider provider) throws Exception {
        try (GatewayFixture fixture = fixture(provider);
                RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), fixture.issue(CAR))) {
            MqttConnAckMessage ack = (MqttConnAckMessage)
                    client.connect(CAR.value(), MqttVersion.MQTT_5, 60, MqttProperties.NO_PROPERTIES);

            assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.gateway.online(CAR));
            assertThat(fixture.metrics.value("tsunagu_mqtt_connects_total")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JDK", "OPENSSL"})
    void aRevokedCertificateCompletesTheHandshakeButIsNotAuthorized(TlsProvider provider) throws Exception {
        try (GatewayFixture fixture = fixture(provider)) {
            IssuedCredentials credentials = fixture.issue(CAR);
            revoked.add(credentials.serial());
            try (RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), credentials)) {
                MqttConnAckMessage ack = (MqttConnAckMessage)
                        client.connect(CAR.value(), MqttVersion.MQTT_5, 60, MqttProperties.NO_PROPERTIES);

                assertThat(ack.variableHeader().connectReturnCode())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
                assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(fixture.metrics.value("tsunagu_mqtt_auth_refused_total", "reason", "certificate_revoked"))
                    .isEqualTo(1);
            assertThat(fixture.gateway.online(CAR)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JDK", "OPENSSL"})
    void aClientWithoutCertificateGetsCertificateRequired(TlsProvider provider) throws Exception {
        try (GatewayFixture fixture = fixture(provider)) {
            String ca = fixture.issue(CAR).caCertificatePem();

            assertThat(alertOnHandshake(fixture, Optional.empty(), ca)).contains("certificate_required");
            awaitHandshakeFailures(fixture, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JDK", "OPENSSL"})
    void aCertificateOfAnotherCaIsRefusedInTheHandshake(TlsProvider provider) throws Exception {
        try (GatewayFixture fixture = fixture(provider)) {
            String ca = fixture.issue(CAR).caCertificatePem();
            IssuedCredentials forged = CertificateAuthority.open(dir.resolve("foreign-ca"), Clock.systemUTC())
                    .issueVehicle(CAR, Duration.ofDays(1));

            // The JDK sends its generic certificate alert; OpenSSL names the reason (RFC 8446 §6.2).
            assertThat(alertOnHandshake(fixture, Optional.of(forged), ca))
                    .contains(provider == TlsProvider.JDK ? "certificate_unknown" : "unknown_ca");
            awaitHandshakeFailures(fixture, 1);
            assertThat(fixture.metrics.value("tsunagu_mqtt_connects_total")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JDK", "OPENSSL"})
    void anExpiredCertificateOfTheFleetCaIsRefusedInTheHandshake(TlsProvider provider) throws Exception {
        try (GatewayFixture fixture = fixture(provider)) {
            String ca = fixture.issue(CAR).caCertificatePem();
            // The fixture's CA key, opened with a clock a day back, issues a certificate that ended yesterday.
            CertificateAuthority pastCa = CertificateAuthority.open(
                    dir.resolve("ca"), Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC));
            IssuedCredentials expired = pastCa.issueVehicle(CAR, Duration.ofHours(1));
            assertThat(expired.notAfter()).isBefore(Instant.now());

            assertThat(alertOnHandshake(fixture, Optional.of(expired), ca))
                    .contains(provider == TlsProvider.JDK ? "certificate_unknown" : "certificate_expired");
            awaitHandshakeFailures(fixture, 1);
            assertThat(fixture.metrics.value("tsunagu_mqtt_connects_total")).isZero();
        }
    }

    private GatewayFixture fixture(TlsProvider provider) {
        return new GatewayFixture(
                dir, 16, 64 * 1024, provider, (vin, serial) -> vin.equals(CAR) && !revoked.contains(serial));
    }

    private static void awaitHandshakeFailures(GatewayFixture fixture, long expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.metrics.value(HANDSHAKE_FAILURES) == expected);
    }

    /**
     * The fatal alert a client on the JDK's TLS 1.3 receives from the gateway. Netty's client writes its whole flight
     * (certificate, verify, finished) at once, so the gateway's close cannot reset the connection before the alert is
     * read (a blocking SSLSocket sometimes gets "broken pipe" instead).
     */
    private static String alertOnHandshake(GatewayFixture fixture, Optional<IssuedCredentials> identity, String caPem)
            throws Exception {
        SslContextBuilder builder =
                SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3");
        if (identity.isPresent()) {
            char[] password = "test".toCharArray();
            IssuedCredentials c = identity.get();
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(
                    PemKeys.keyStore(c.certificatePem(), c.privateKeyPem(), c.caCertificatePem(), password), password);
            builder.keyManager(keys);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemKeys.trustStore(caPem));
        SslContext context = builder.trustManager(trust).build();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            SslHandler ssl = context.newHandler(channel.alloc(), "127.0.0.1", fixture.gateway.port());
                            ssl.handshakeFuture().addListener(f -> {
                                if (!f.isSuccess()) {
                                    failure.complete(f.cause());
                                }
                            });
                            channel.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    failure.complete(cause);
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    failure.complete(new ClosedChannelException());
                                }
                            });
                        }
                    })
                    .connect("127.0.0.1", fixture.gateway.port())
                    .sync();
            Throwable thrown = failure.get(10, TimeUnit.SECONDS);
            while (!(thrown instanceof SSLException) && thrown.getCause() != null) {
                thrown = thrown.getCause();
            }
            assertThat(thrown).as("the gateway must refuse the handshake").isInstanceOf(SSLException.class);
            return thrown.getMessage();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
