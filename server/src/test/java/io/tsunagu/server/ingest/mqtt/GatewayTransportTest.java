package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.testing.TestVins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway on either socket transport (native epoll, Java NIO): many cars over mutual TLS whose publishes are
 * made durable by one group commit each get all their PUBACKs, in order, once the commit is durable — the commit's
 * acknowledgements reach the connections of both event loops through one hand-off per event loop.
 */
class GatewayTransportTest {
    private static final int CARS = 24;
    private static final int PUBLISHES_PER_CAR = 5;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = GatewayTransport.class,
            names = {"NIO", "EPOLL"})
    void publishesOfManyCarsInOneCommitAreAllAcknowledgedInOrderOnEitherTransport(GatewayTransport transport)
            throws Exception {
        try (GatewayFixture fixture =
                new GatewayFixture(dir, 64, 64 * 1024, TlsProvider.configured(), (vin, serial) -> true, transport)) {
            assertThat(fixture.gateway.transport()).isEqualTo(transport);
            List<RawMqttClient> clients = new ArrayList<>();
            try {
                for (int car = 1; car <= CARS; car++) {
                    clients.add(connected(fixture, TestVins.northAmerican("1TSUTRNS", car)));
                }
                fixture.hold();
                for (int car = 1; car <= CARS; car++) {
                    clients.get(car - 1).send(publishes(TestVins.northAmerican("1TSUTRNS", car)));
                }
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> fixture.messagesReceived() == (long) CARS * PUBLISHES_PER_CAR);
                assertThat(clients)
                        .allSatisfy(client -> assertThat(client.pending())
                                .as("nothing acknowledged before the commit is durable")
                                .isZero());
                fixture.release();

                for (RawMqttClient client : clients) {
                    for (int id = 1; id <= PUBLISHES_PER_CAR; id++) {
                        MqttPubReplyMessageVariableHeader ack = MqttGatewayTest.pubAck(client.next());
                        assertThat(ack.messageId()).isEqualTo(id);
                        assertThat(ack.reasonCode()).isEqualTo(MqttReasonCodes.PubAck.SUCCESS.byteValue());
                    }
                }
                assertThat(fixture.stored.stream().mapToInt(List::size).sum()).isEqualTo(CARS * PUBLISHES_PER_CAR);
            } finally {
                clients.forEach(RawMqttClient::close);
            }
        }
    }

    @Test
    void autoPicksNativeEpollOnLinuxX8664AndNioWhereEpollDoesNotLoad() {
        boolean linuxX64 =
                System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                        && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        // The build ships epoll's linux-x86_64 library only: that is where auto must find it.
        assertThat(Epoll.isAvailable()).isEqualTo(linuxX64);
        assertThat(GatewayTransport.AUTO.resolve()).isEqualTo(linuxX64 ? GatewayTransport.EPOLL : GatewayTransport.NIO);
        if (!linuxX64) {
            assertThatThrownBy(GatewayTransport.EPOLL::resolve)
                    .isInstanceOf(TsunaguException.class)
                    .hasMessageContaining(GatewayTransport.PROPERTY);
        }
    }

    @Test
    void theTransportPropertyNamesOneOfTheTransports() {
        String before = System.getProperty(GatewayTransport.PROPERTY);
        try {
            System.setProperty(GatewayTransport.PROPERTY, " NIO ");
            assertThat(GatewayTransport.configured()).isEqualTo(GatewayTransport.NIO);
            System.setProperty(GatewayTransport.PROPERTY, "kqueue");
            assertThatThrownBy(GatewayTransport::configured)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("auto, nio or epoll");
        } finally {
            if (before == null) {
                System.clearProperty(GatewayTransport.PROPERTY);
            } else {
                System.setProperty(GatewayTransport.PROPERTY, before);
            }
        }
    }

    private static RawMqttClient connected(GatewayFixture fixture, Vin vin) throws Exception {
        RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), fixture.issue(vin));
        MqttConnAckMessage ack =
                (MqttConnAckMessage) client.connect(vin.value(), MqttVersion.MQTT_5, 60, MqttProperties.NO_PROPERTIES);
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return client;
    }

    private static MqttMessage[] publishes(Vin vin) {
        MqttMessage[] publishes = new MqttMessage[PUBLISHES_PER_CAR];
        for (int id = 1; id <= PUBLISHES_PER_CAR; id++) {
            MqttProperties properties = new MqttProperties();
            properties.add(new MqttProperties.StringProperty(
                    MqttProperties.MqttPropertyType.CONTENT_TYPE.value(), Topics.CONTENT_TYPE_JSON));
            String json = "{\"ts\": " + (1_700_000_000_000L + id) + ", \"seq\": " + id
                    + ", \"signals\": {\"Vehicle.Speed\": " + id + "}}";
            publishes[id - 1] = MqttMessageBuilders.publish()
                    .topicName(Topics.telemetry(vin))
                    .qos(MqttQoS.AT_LEAST_ONCE)
                    .messageId(id)
                    .properties(properties)
                    .payload(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)))
                    .build();
        }
        return publishes;
    }
}
