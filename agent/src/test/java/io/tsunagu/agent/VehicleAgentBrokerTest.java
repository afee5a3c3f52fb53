package io.tsunagu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.wire.TelemetryBatch;
import io.tsunagu.protocol.wire.TelemetryFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a real embedded HiveMQ CE with mutual TLS; one broker for all tests (it takes seconds to start). */
class VehicleAgentBrokerTest {
    private static final Vin VIN = Vin.of("1HGCM82633A004352");
    private static final Vin JSON_VIN = Vin.of("5YJ3E1EA2KF317000");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

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

    @Test
    void dropsAndCountsFramesTheBrokerRefuses() throws Exception {
        try (VehicleAgent agent =
                new VehicleAgent(config(JSON_VIN).format(PublishFormat.JSON).build())) {
            agent.start();
            for (long i = 1; i <= 3; i++) {
                agent.record(1_700_000_000_000L + i, signals(i));
            }
            await().atMost(TIMEOUT).until(() -> agent.stats().rejected() == 3);
            assertThat(agent.stats().buffered()).isZero();
            assertThat(agent.stats().acked()).isZero();
            assertThat(broker.received)
                    .anyMatch(r -> r.clientId().equals(JSON_VIN.value())
                            && r.contentType().equals(Topics.CONTENT_TYPE_JSON));
        }
    }
}
