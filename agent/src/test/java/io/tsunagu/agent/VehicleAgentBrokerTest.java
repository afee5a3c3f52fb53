package io.tsunagu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.tsunagu.agent.command.ActionOutcome;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandSigner;
import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.telemetry.TelemetryDecoder;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandResult;
import io.tsunagu.protocol.wire.TelemetryBatch;
import io.tsunagu.protocol.wire.TelemetryFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The agent against a real embedded HiveMQ CE with mutual TLS; one broker for all tests (it takes seconds to start). */
class VehicleAgentBrokerTest {
    private static final Vin VIN = Vin.of("1HGCM82633A004352");
    private static final Vin JSON_VIN = Vin.of("5YJ3E1EA2KF317000");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long T0 = 1_700_000_000_000L;
    private static final TelemetryDecoder DECODER = new TelemetryDecoder();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestPki pki;
    static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = new TestPki();
        broker = new TestBroker(dir.resolve("broker"), pki);
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    private static AgentConfig.Builder config(Vin vin) throws Exception {
        return AgentConfig.builder(vin, pki.client(vin.value()))
                .host("localhost")
                .port(broker.port)
                .bufferDir(dir.resolve("agent"))
                .backoff(new ReconnectBackoff(100, 1_000))
                .retryBackoff(new ReconnectBackoff(10, 200))
                .jitterSeed(1);
    }

    private static Map<String, Object> signals(long i) {
        return Map.of("Vehicle.Speed", 10.0 + i, "Vehicle.TraveledDistance", 1_000L + i);
    }

    private static List<TelemetryBatch> telemetryOf(Vin vin) {
        return broker.received.stream()
                .filter(r -> r.topic().equals(Topics.telemetry(vin)))
                .map(r -> {
                    assertThat(r.contentType()).isEqualTo(Topics.CONTENT_TYPE_PROTOBUF);
                    try {
                        return TelemetryBatch.parseFrom(r.payload());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }

    private static List<Long> seqsReceived(Vin vin) {
        return telemetryOf(vin).stream()
                .flatMap(b -> b.getFramesList().stream())
                .map(TelemetryFrame::getSeq)
                .distinct()
                .sorted()
                .toList();
    }

    @Test
    void deliversFramesBufferedBeforeConnectAndWhileTheBrokerWasDown() throws Exception {
        try (VehicleAgent agent = new VehicleAgent(config(VIN).build())) {
            for (long i = 1; i <= 5; i++) {
                agent.record(1_700_000_000_000L + i, signals(i));
            }
            agent.start();
            await().atMost(TIMEOUT).until(() -> agent.stats().acked() == 5);
            assertThat(seqsReceived(VIN)).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(agent.connected()).isTrue();
            assertThat(broker.received)
                    .anyMatch(r -> r.topic().equals(Topics.status(VIN))
                            && new String(r.payload(), StandardCharsets.UTF_8).equals(Topics.STATUS_ONLINE));

            broker.stop();
            await().atMost(TIMEOUT).until(() -> !agent.connected());
            for (long i = 6; i <= 25; i++) {
                agent.record(1_700_000_000_000L + i, signals(i));
            }
            assertThat(agent.stats().buffered()).isEqualTo(20);
            broker.start();

            await().atMost(TIMEOUT).until(() -> agent.stats().buffered() == 0);
            assertThat(seqsReceived(VIN))
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, 25).boxed().toList());
            assertThat(telemetryOf(VIN)).anyMatch(batch -> batch.getFramesCount() > 1);
            AgentStats stats = agent.stats();
            assertThat(stats.acked()).isEqualTo(25);
            assertThat(stats.rejected()).isZero();
            assertThat(stats.reconnects()).isGreaterThanOrEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(PublishFormat.class)
    void publishesTelemetryThatTheCloudDecoderReadsBackFrameForFrame(PublishFormat format) throws Exception {
        Vin vin = vin(1 + format.ordinal());
        List<RawFrame> recorded = new ArrayList<>();
        try (VehicleAgent agent =
                new VehicleAgent(config(vin).format(format).maxBatchFrames(3).build())) {
            for (long i = 1; i <= 7; i++) {
                Map<String, Object> signals = allValueKinds(i);
                long seq = agent.record(T0 + i, signals);
                recorded.add(new RawFrame(
                        T0 + i,
                        seq,
                        signals.entrySet().stream()
                                .map(e -> new RawSignal(e.getKey(), e.getValue()))
                                .toList()));
            }
            agent.start();
            await().atMost(TIMEOUT).until(() -> agent.stats().acked() == 7);
        }
        List<TestBroker.Received> messages = telemetryMessages(vin);
        assertThat(messages).extracting(TestBroker.Received::contentType).containsOnly(format.contentType());
        List<RawFrame> decoded = messages.stream()
                .flatMap(m -> DECODER.decode(m.payload(), Optional.of(m.contentType())).stream())
                .toList();
        assertThat(decoded).containsExactlyElementsOf(recorded);
        if (format == PublishFormat.JSON) {
            // 7 frames in batches of 3: the batch form twice, then the single-frame object.
            assertThat(messages)
                    .extracting(m -> JSON.readTree(m.payload()).has("batch"))
                    .containsExactly(true, true, false);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = AckReasonCode.class,
            names = {"QUOTA_EXCEEDED", "IMPLEMENTATION_SPECIFIC_ERROR", "UNSPECIFIED_ERROR"})
    void keepsFramesTheBrokerDefersBufferedAndSendsThemAgainAfterABackoff(AckReasonCode code) throws Exception {
        Vin vin = vin(10 + code.ordinal());
        AtomicReference<AckReasonCode> answer = new AtomicReference<>(code);
        broker.acks.put(vin.value(), publish -> isTelemetry(publish) ? answer.get() : AckReasonCode.SUCCESS);
        try (VehicleAgent agent = new VehicleAgent(config(vin).maxBatchFrames(2).build())) {
            agent.start();
            for (long i = 1; i <= 6; i++) {
                agent.record(T0 + i, signals(i));
            }
            await().atMost(TIMEOUT).until(() -> agent.stats().retried() >= 12);
            assertThat(agent.stats().buffered()).isEqualTo(6);
            assertThat(agent.stats().acked()).isZero();

            answer.set(AckReasonCode.SUCCESS);
            await().atMost(TIMEOUT).until(() -> agent.stats().acked() == 6);
            AgentStats stats = agent.stats();
            assertThat(stats.buffered()).isZero();
            assertThat(stats.rejected()).isZero();
        }
        assertThat(seqsReceived(vin)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(telemetryMessages(vin).size())
                .as("every frame was sent again at least once")
                .isGreaterThanOrEqualTo(2 * 3 + 3);
    }

    @ParameterizedTest
    @EnumSource(
            value = AckReasonCode.class,
            names = {"PAYLOAD_FORMAT_INVALID", "NOT_AUTHORIZED", "TOPIC_NAME_INVALID"})
    void dropsAndCountsFramesTheBrokerRefusesForGoodWithoutSendingThemAgain(AckReasonCode code) throws Exception {
        Vin vin = vin(20 + code.ordinal());
        AtomicReference<AckReasonCode> answer = new AtomicReference<>(code);
        broker.acks.put(vin.value(), publish -> isTelemetry(publish) ? answer.get() : AckReasonCode.SUCCESS);
        try (VehicleAgent agent = new VehicleAgent(config(vin).build())) {
            for (long i = 1; i <= 3; i++) {
                agent.record(T0 + i, signals(i));
            }
            agent.start();
            await().atMost(TIMEOUT).until(() -> agent.stats().rejected() == 3);
            assertThat(agent.stats().buffered()).isZero();
            assertThat(agent.stats().acked()).isZero();
            assertThat(agent.stats().retried()).isZero();
            assertThat(telemetryMessages(vin)).hasSize(1);

            answer.set(AckReasonCode.SUCCESS);
            agent.record(T0 + 4, signals(4));
            await().atMost(TIMEOUT).until(() -> agent.stats().acked() == 1);
        }
        assertThat(seqsReceived(vin)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(telemetryMessages(vin)).hasSize(2);
    }

    @Test
    void executesASignedCommandOnceReportsItTwiceWhenDeliveredTwiceAndRemembersItAfterARestart() throws Exception {
        Vin vin = vin(40);
        KeyPair fleet = CommandKeys.ed25519();
        CommandSigner signer = new CommandSigner("fleet-1", fleet.getPrivate());
        List<String> executed = new CopyOnWriteArrayList<>();
        AgentConfig config = config(vin)
                .commandKeys(Map.of("fleet-1", fleet.getPublic()))
                .actuators((action, params) -> {
                    executed.add(action + params);
                    return ActionOutcome.executed();
                })
                .build();
        byte[] lock = signer.sign(CommandBody.newBuilder()
                        .setVin(vin.value())
                        .setCommandId("cmd-1")
                        .setAction("doors.lock")
                        .setIssuedAtMs(System.currentTimeMillis())
                        .setExpiresAtMs(System.currentTimeMillis() + 600_000)
                        .setCounter(1)
                        .build())
                .toByteArray();
        Mqtt5BlockingClient cloud = cloudClient();
        try {
            try (VehicleAgent agent = new VehicleAgent(config)) {
                agent.start();
                await().atMost(TIMEOUT).until(() -> broker.subscribed(vin.value(), Topics.commands(vin)));
                publishCommand(cloud, vin, lock);
                await().atMost(TIMEOUT).until(() -> results(vin).contains("cmd-1 EXECUTED "));
                publishCommand(cloud, vin, lock); // a re-delivery after a lost acknowledgement
                publishCommand(cloud, vin, new byte[] {1, 2, 3});
                await().atMost(TIMEOUT).until(() -> results(vin).contains(" REFUSED malformed"));
            }
            try (VehicleAgent restarted = new VehicleAgent(config)) {
                restarted.start();
                await().atMost(TIMEOUT).until(() -> broker.subscribed(vin.value(), Topics.commands(vin)));
                publishCommand(cloud, vin, lock);
                await().atMost(TIMEOUT)
                        .until(() -> results(vin).stream()
                                        .filter(r -> r.equals("cmd-1 EXECUTED "))
                                        .count()
                                == 3);
            }
        } finally {
            cloud.disconnect();
        }
        assertThat(executed).containsExactly("doors.lock{}");
        assertThat(results(vin))
                .containsExactly(
                        "cmd-1 DELIVERED ",
                        "cmd-1 EXECUTED ",
                        "cmd-1 EXECUTED ",
                        " REFUSED malformed",
                        "cmd-1 EXECUTED ");
    }

    private static Mqtt5BlockingClient cloudClient() throws Exception {
        AgentCredentials credentials = pki.client("cloud-test");
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier("cloud-test")
                .serverHost("localhost")
                .serverPort(broker.port)
                .sslConfig()
                .keyManagerFactory(PemTls.keyManagers(credentials))
                .trustManagerFactory(PemTls.trustManagers(credentials))
                .applySslConfig()
                .buildBlocking();
        client.connect();
        return client;
    }

    private static void publishCommand(Mqtt5BlockingClient cloud, Vin vin, byte[] envelope) {
        cloud.publishWith()
                .topic(Topics.commands(vin))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(envelope)
                .send();
    }

    /** The car's command results in arrival order, as "id STATUS reason". */
    private static List<String> results(Vin vin) {
        return broker.received.stream()
                .filter(r -> r.topic().equals(Topics.commandResult(vin)))
                .map(r -> {
                    try {
                        CommandResult result = CommandResult.parseFrom(r.payload());
                        return result.getCommandId() + " " + result.getStatus() + " " + result.getReason();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }

    private static boolean isTelemetry(TestBroker.Received publish) {
        return publish.topic().startsWith("vehicles/") && publish.topic().endsWith("/telemetry");
    }

    private static List<TestBroker.Received> telemetryMessages(Vin vin) {
        return broker.received.stream()
                .filter(r -> r.topic().equals(Topics.telemetry(vin)))
                .toList();
    }

    private static Map<String, Object> allValueKinds(long i) {
        Map<String, Object> signals = new LinkedHashMap<>();
        signals.put("Vehicle.Speed", 10.0 + i);
        signals.put("Vehicle.TraveledDistance", 1_000L + i);
        signals.put("Vehicle.IsMoving", i % 2 == 0);
        signals.put("Vehicle.Cabin.Infotainment.Media.Played.Track", "track " + i);
        signals.put("Vehicle.Test.Strings", List.of("a", "b" + i));
        signals.put("Vehicle.Test.Numbers", List.of(1.5, 2.5 + i));
        return signals;
    }

    /** European VINs (no check digit), one per test so that tests sharing the broker do not see each other. */
    private static Vin vin(int n) {
        return Vin.of("WTSUNAGUTEST%05d".formatted(n));
    }
}
