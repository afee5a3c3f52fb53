package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.TestCar;
import io.tsunagu.server.testing.TestVins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions: a second connection of the same car takes over the first (which gets DISCONNECT 0x8E) while the car stays
 * online, and the cloud's publishes to a car go only to its subscriptions, respecting the car's Receive Maximum.
 */
class MqttSessionsTest {
    static final Vin CAR = TestVins.northAmerican("1TSUSESS", 1);
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    GatewayFixture fixture;
    IssuedCredentials credentials;

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(dir, 1024, 64 * 1024);
        credentials = fixture.issue(CAR);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aSecondConnectionTakesOverTheSessionAndTheCarStaysOnline() {
        TestCar first = TestCar.create(CAR.value(), CAR, credentials, fixture.gateway.port());
        first.connect();
        try (TestCar second = TestCar.create(CAR.value(), CAR, credentials, fixture.gateway.port())) {
            await().atMost(WAIT).until(() -> fixture.gateway.online(CAR));
            second.connect();

            await().atMost(WAIT).until(() -> !first.connected());
            assertThat(second.connected()).isTrue();
            assertThat(fixture.gateway.online(CAR)).isTrue();
            assertThat(second.sendJson(MqttGatewayTest.speed(1)).success()).isTrue();
            assertThat(fixture.events)
                    .as("online once, a session per connection, never offline in between")
                    .containsExactly(
                            new GatewayFixture.Event(CAR, "online"),
                            new GatewayFixture.Event(CAR, "session"),
                            new GatewayFixture.Event(CAR, "session"));
        }
        await().atMost(WAIT).until(() -> !fixture.gateway.online(CAR));
        assertThat(fixture.events).endsWith(new GatewayFixture.Event(CAR, "offline"));
    }

    @Test
    void theOldConnectionIsToldItsSessionWasTakenOver() throws Exception {
        try (RawMqttClient first = RawMqttClient.open(fixture.gateway.port(), credentials);
                TestCar second = TestCar.create(CAR.value(), CAR, credentials, fixture.gateway.port())) {
            first.connect(CAR.value(), MqttVersion.MQTT_5, 60, MqttProperties.NO_PROPERTIES);
            second.connect();

            assertThat(MqttGatewayTest.disconnectReason(first.next()))
                    .isEqualTo(io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER.byteValue());
            assertThat(first.closedWithin(WAIT)).isTrue();
            assertThat(second.connected()).isTrue();
        }
    }

    @Test
    void publishesToACarGoOnlyToItsSubscriptionAndRespectItsReceiveMaximum() throws Exception {
        try (RawMqttClient car = RawMqttClient.open(fixture.gateway.port(), credentials)) {
            MqttProperties receiveTwo = new MqttProperties();
            receiveTwo.add(
                    new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(), 2));
            car.connect(CAR.value(), MqttVersion.MQTT_5, 60, receiveTwo);
            assertThat(send("before subscribing").join()).isFalse();
            car.send(MqttMessageBuilders.subscribe()
                    .messageId(1)
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, Topics.commands(CAR))
                    .build());
            assertThat(car.next().fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);

            List<CompletableFuture<Boolean>> sent = List.of(send("c1"), send("c2"), send("c3"));
            MqttPublishMessage one = publishOf(car.next());
            MqttPublishMessage two = publishOf(car.next());
            await().atMost(WAIT).until(() -> sent.get(0).isDone() && sent.get(1).isDone());
            assertThat(sent.get(2))
                    .as("the third waits for an acknowledgement (Receive Maximum 2)")
                    .isNotDone();
            assertThat(Set.of(
                            one.variableHeader().packetId(),
                            two.variableHeader().packetId()))
                    .hasSize(2);
            assertThat(property(one, MqttProperties.MqttPropertyType.CONTENT_TYPE))
                    .isEqualTo(Topics.CONTENT_TYPE_JSON);
            assertThat(property(one, MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL))
                    .isEqualTo(90);

            car.send(MqttMessageBuilders.pubAck()
                    .packetId(one.variableHeader().packetId())
                    .build());
            MqttPublishMessage three = publishOf(car.next());
            assertThat(three.payload().toString(StandardCharsets.UTF_8)).isEqualTo("c3");
            assertThat(sent.get(2).get()).isTrue();
            Set<String> payloads = new HashSet<>();
            for (MqttPublishMessage m : List.of(one, two)) {
                payloads.add(m.payload().toString(StandardCharsets.UTF_8));
            }
            assertThat(payloads).containsExactlyInAnyOrder("c1", "c2");
        }
    }

    private CompletableFuture<Boolean> send(String text) {
        return fixture.gateway.publishToCar(
                CAR,
                Topics.commands(CAR),
                text.getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(89_001),
                Topics.CONTENT_TYPE_JSON);
    }

    private static MqttPublishMessage publishOf(MqttMessage message) {
        assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBLISH);
        assertThat(message.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
        return (MqttPublishMessage) message;
    }

    private static Object property(MqttPublishMessage message, MqttProperties.MqttPropertyType type) {
        return message.variableHeader().properties().getProperty(type.value()).value();
    }
}
