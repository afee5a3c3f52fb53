package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.TestVins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's own MQTT handling, driven by a bare client that can break the rules: many publishes in flight on one
 * connection acknowledged in order only once durable, the Receive Maximum, QoS 2, oversize packets, the CONNACK it
 * advertises, MQTT 3.1.1 and the count of failed TLS handshakes.
 */
class MqttGatewayTest {
    static final int RECEIVE_MAXIMUM = 64;
    static final int MAX_PACKET = 4096;
    static final Vin CAR = TestVins.northAmerican("1TSUGWAY", 1);

    @TempDir
    Path dir;

    GatewayFixture fixture;
    IssuedCredentials credentials;

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(dir, RECEIVE_MAXIMUM, MAX_PACKET);
        credentials = fixture.issue(CAR);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void manyPublishesOfOneConnectionAreInFlightTogetherAndAcknowledgedInTheOrderSentOnceDurable() throws Exception {
        try (RawMqttClient client = connected(MqttVersion.MQTT_5)) {
            fixture.hold();
            List<MqttMessage> publishes = new ArrayList<>();
            for (int id = 1; id <= 50; id++) {
                // Every fifth is malformed: refused at once, yet its PUBACK must wait for the durable ones before it.
                publishes.add(publish(id, id % 5 == 0 ? "{\"ts\": " : speed(id)));
            }
            client.send(publishes.toArray(MqttMessage[]::new));

            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.messagesReceived() == 50);
            assertThat(client.pending())
                    .as("nothing acknowledged before the first message is durable")
                    .isZero();
            fixture.release();

            for (int id = 1; id <= 50; id++) {
                MqttPubReplyMessageVariableHeader ack = pubAck(client.next());
                assertThat(ack.messageId()).isEqualTo(id);
                assertThat(ack.reasonCode())
                        .isEqualTo(
                                id % 5 == 0
                                        ? MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue()
                                        : MqttReasonCodes.PubAck.SUCCESS.byteValue());
            }
            assertThat(fixture.stored.stream().mapToInt(List::size).sum()).isEqualTo(40);
        }
    }

    @Test
    void aPartlyAcceptedMessageIsASuccessWhoseReasonStringNamesTheRefusedValues() throws Exception {
        try (RawMqttClient client = connected(MqttVersion.MQTT_5)) {
            client.send(publish(
                    1,
                    "{\"ts\": " + System.currentTimeMillis()
                            + ", \"signals\": {\"Vehicle.Speed\": 5, \"Vehicle.NoSuchSignal\": 1}}"));

            MqttPubReplyMessageVariableHeader ack = pubAck(client.next());
            assertThat(ack.reasonCode()).isEqualTo(MqttReasonCodes.PubAck.SUCCESS.byteValue());
            assertThat((String) property(ack.properties(), MqttProperties.MqttPropertyType.REASON_STRING))
                    .startsWith("accepted 1, rejected 1")
                    .contains("Vehicle.NoSuchSignal");
        }
    }

    @Test
    void connAckAdvertisesQos1TheReceiveMaximumAndThePacketLimitAndNoSession() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), credentials)) {
            MqttProperties asked = new MqttProperties();
            asked.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 86_400));
            MqttConnAckMessage ack = (MqttConnAckMessage) client.connect(CAR.value(), MqttVersion.MQTT_5, 30, asked);

            assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(ack.variableHeader().isSessionPresent()).isFalse();
            MqttProperties properties = ack.variableHeader().properties();
            assertThat(property(properties, MqttProperties.MqttPropertyType.MAXIMUM_QOS))
                    .isEqualTo(1);
            assertThat(property(properties, MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM))
                    .isEqualTo(RECEIVE_MAXIMUM);
            assertThat(property(properties, MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE))
                    .isEqualTo(MAX_PACKET);
            assertThat(property(properties, MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL))
                    .isEqualTo(0);
        }
    }

    @Test
    void morePublishesInFlightThanTheReceiveMaximumEndTheConnectionAfterTheAcksOwed() throws Exception {
        try (RawMqttClient client = connected(MqttVersion.MQTT_5)) {
            fixture.hold();
            List<MqttMessage> publishes = new ArrayList<>();
            for (int id = 1; id <= RECEIVE_MAXIMUM + 1; id++) {
                publishes.add(publish(id, speed(id)));
            }
            client.send(publishes.toArray(MqttMessage[]::new));
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.messagesReceived() == RECEIVE_MAXIMUM);
            fixture.release();

            for (int id = 1; id <= RECEIVE_MAXIMUM; id++) {
                assertThat(pubAck(client.next()).messageId()).isEqualTo(id);
            }
            assertThat(disconnectReason(client.next()))
                    .isEqualTo(MqttReasonCodes.Disconnect.RECEIVE_MAXIMUM_EXCEEDED.byteValue());
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(fixture.messagesReceived())
                    .as("the excess publish was not ingested")
                    .isEqualTo(RECEIVE_MAXIMUM);
        }
    }

    @Test
    void aQos2PublishIsRefusedWithDisconnectQosNotSupported() throws Exception {
        try (RawMqttClient client = connected(MqttVersion.MQTT_5)) {
            client.send(MqttMessageBuilders.publish()
                    .topicName(Topics.telemetry(CAR))
                    .qos(MqttQoS.EXACTLY_ONCE)
                    .messageId(7)
                    .payload(Unpooled.wrappedBuffer(speed(1).getBytes(StandardCharsets.UTF_8)))
                    .build());

            assertThat(disconnectReason(client.next()))
                    .isEqualTo(MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED.byteValue());
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(fixture.messagesReceived()).isZero();
        }
    }

    @Test
    void aPacketLargerThanTheMaximumEndsTheConnectionWithPacketTooLarge() throws Exception {
        try (RawMqttClient client = connected(MqttVersion.MQTT_5)) {
            client.send(publish(1, "{\"pad\": \"" + "x".repeat(MAX_PACKET) + "\"}"));

            assertThat(disconnectReason(client.next()))
                    .isEqualTo(MqttReasonCodes.Disconnect.PACKET_TOO_LARGE.byteValue());
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(fixture.messagesReceived()).isZero();
        }
    }

    @Test
    void anMqtt311ClientPublishesWithPlainAcksAndGetsFailureForAForeignSubscription() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), credentials)) {
            MqttConnAckMessage connAck = (MqttConnAckMessage)
                    client.connect(CAR.value(), MqttVersion.MQTT_3_1_1, 30, MqttProperties.NO_PROPERTIES);
            assertThat(connAck.variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

            client.send(publish(1, speed(1)), publish(2, "{\"ts\": "));
            assertThat(pubAck(client.next()).messageId()).isEqualTo(1);
            assertThat(pubAck(client.next()).messageId())
                    .as("3.1.1 cannot refuse: a malformed message is acknowledged (and in the rejection log)")
                    .isEqualTo(2);
            client.send(MqttMessageBuilders.subscribe()
                    .messageId(3)
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, Topics.commands(CAR))
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "vehicles/#")
                    .build());
            MqttMessage subAck = client.next();
            assertThat(subAck.fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);
            assertThat(((io.netty.handler.codec.mqtt.MqttSubAckMessage) subAck)
                            .payload()
                            .reasonCodes())
                    .containsExactly(1, 0x80);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> fixture.events.contains(new GatewayFixture.Event(CAR, "subscribed")));
        }
    }

    @Test
    void aClientWithoutCertificateFailsTheHandshakeAndIsCounted() throws Exception {
        long before = fixture.metrics.value("tsunagu_mqtt_tls_handshake_failures_total");
        try (RawMqttClient client =
                RawMqttClient.withoutCertificate(fixture.gateway.port(), credentials.caCertificatePem())) {
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.metrics.value("tsunagu_mqtt_tls_handshake_failures_total") == before + 1);
        assertThat(fixture.metrics.value("tsunagu_mqtt_connects_total")).isZero();
    }

    @Test
    void aSilentConnectionIsClosedAfterOneAndAHalfKeepAlives() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), credentials)) {
            client.connect(CAR.value(), MqttVersion.MQTT_5, 1, MqttProperties.NO_PROPERTIES);

            assertThat(disconnectReason(client.next()))
                    .isEqualTo(MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT.byteValue());
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !fixture.gateway.online(CAR));
    }

    private RawMqttClient connected(MqttVersion version) throws Exception {
        RawMqttClient client = RawMqttClient.open(fixture.gateway.port(), credentials);
        MqttConnAckMessage ack =
                (MqttConnAckMessage) client.connect(CAR.value(), version, 60, MqttProperties.NO_PROPERTIES);
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return client;
    }

    static MqttMessage publish(int packetId, String json) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(
                MqttProperties.MqttPropertyType.CONTENT_TYPE.value(), Topics.CONTENT_TYPE_JSON));
        return MqttMessageBuilders.publish()
                .topicName(Topics.telemetry(CAR))
                .qos(MqttQoS.AT_LEAST_ONCE)
                .messageId(packetId)
                .properties(properties)
                .payload(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    static String speed(int seq) {
        return "{\"ts\": " + System.currentTimeMillis() + ", \"seq\": " + seq + ", \"signals\": {\"Vehicle.Speed\": "
                + seq + "}}";
    }

    static MqttPubReplyMessageVariableHeader pubAck(MqttMessage message) {
        assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        return (MqttPubReplyMessageVariableHeader) message.variableHeader();
    }

    static byte disconnectReason(MqttMessage message) {
        assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        return ((MqttReasonCodeAndPropertiesVariableHeader) message.variableHeader()).reasonCode();
    }

    static Object property(MqttProperties properties, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        assertThat(property).as(type.name()).isNotNull();
        return property.value();
    }
}
