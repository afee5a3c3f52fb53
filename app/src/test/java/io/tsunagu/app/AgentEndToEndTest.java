package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.agent.AgentConfig;
import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.AgentStats;
import io.tsunagu.agent.PublishFormat;
import io.tsunagu.agent.ReconnectBackoff;
import io.tsunagu.agent.VehicleAgent;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.history.HistoryPoint;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.ingest.IngestConfig;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.twin.Twin;
import io.tsunagu.server.twin.TwinValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent against the real server: mutual TLS with credentials from the server's provisioning, the offline
 * buffer across agent and server restarts, and the rate limit. One server for the class (it takes seconds to start);
 * each test uses its own car.
 */
class AgentEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    // Yesterday 00:00 UTC: well inside the server's history retention whenever the test runs.
    private static final long T0 =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS).toEpochMilli();
    private static final String SPEED = "Vehicle.Speed";
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";

    @TempDir
    static Path dir;

    static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(dir.resolve("server"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void framesReachHistoryAndTwinExactlyOnceWithTheirSequenceNumbers() {
        Vin vin = Vin.of("WTSUNAGUE2E000001");
        for (PublishFormat format : PublishFormat.values()) {
            long first = format.ordinal() * 10L + 1;
            try (VehicleAgent agent = new VehicleAgent(agentConfig(server, vin, register(server, vin, format))
                    .format(format)
                    .build())) {
                agent.start();
                recordFrames(agent, first, first + 9);
                awaitDelivered(agent, 10);
                assertThat(agent.stats().rejected()).isZero();
            }
        }

        assertExactlyOnce(server, vin, 20);
        Twin twin = server.server().twins().get(vin).orElseThrow();
        assertThat(twin.reported().get(SPEED)).isEqualTo(new TwinValue(new SignalValue.Num(20), frameTs(20)));
        assertThat(twin.reported()).containsKey(SOC);
    }

    @Test
    void framesRecordedWhileTheServerIsDownSurviveAnAgentRestartAndArriveOnce() {
        Vin vin = Vin.of("WTSUNAGUE2E000002");
        IssuedCredentials credentials = register(server, vin, PublishFormat.PROTOBUF);
        Path bufferDir = dir.resolve("buffer-" + vin);
        server.stop();
        boolean serverUp = false;
        try {
            try (VehicleAgent offline = new VehicleAgent(
                    agentConfig(server, vin, credentials, bufferDir).build())) {
                offline.start();
                recordFrames(offline, 1, 30);
                assertThat(offline.stats().buffered()).isEqualTo(30);
                assertThat(offline.connected()).isFalse();
            }
            try (VehicleAgent restarted = new VehicleAgent(
                    agentConfig(server, vin, credentials, bufferDir).build())) {
                assertThat(restarted.stats().buffered()).isEqualTo(30);
                restarted.start();
                server.startAgain();
                serverUp = true;

                awaitDelivered(restarted, 30);
                recordFrames(restarted, 31, 31);
                awaitDelivered(restarted, 31);
            }
        } finally {
            if (!serverUp) {
                server.startAgain();
            }
        }
        assertExactlyOnce(server, vin, 31);
    }

    @Test
    void agentReconnectsByItselfAfterTheServerRestartsAndKeepsDelivering() {
        Vin vin = Vin.of("WTSUNAGUE2E000003");
        try (VehicleAgent agent =
                new VehicleAgent(agentConfig(server, vin, register(server, vin, PublishFormat.PROTOBUF))
                        .build())) {
            agent.start();
            recordFrames(agent, 1, 10);
            awaitDelivered(agent, 10);

            server.restart();
            recordFrames(agent, 11, 20);
            awaitDelivered(agent, 20);
            await().atMost(TIMEOUT).until(agent::connected);
            assertThat(agent.stats().reconnects()).isGreaterThanOrEqualTo(1);
        }
        assertExactlyOnce(server, vin, 20);
    }

    @Test
    void rateLimitedAgentDeliversItsWholeBacklogByResendingDeferredFrames(@TempDir Path limitedDir) {
        Vin vin = Vin.of("WTSUNAGUE2E000004");
        try (TestServer limited =
                TestServer.start(limitedDir, c -> c.withIngest(new IngestConfig(64 * 1024, 5, 10, 200_000)))) {
            // Two frames a message: a burst of 60 frames is 30 messages against a bucket of 10 and 5 a second.
            try (VehicleAgent agent =
                    new VehicleAgent(agentConfig(limited, vin, register(limited, vin, PublishFormat.PROTOBUF))
                            .maxBatchFrames(2)
                            .build())) {
                agent.start();
                await().atMost(TIMEOUT).until(agent::connected);
                recordFrames(agent, 1, 60);
                awaitDelivered(agent, 60);
                AgentStats stats = agent.stats();
                assertThat(stats.rejected()).isZero();
                assertThat(stats.retried())
                        .as("frames deferred by the rate limit")
                        .isPositive();
            }
            assertExactlyOnce(limited, vin, 60);
            assertThat(limited.server().metrics().value("tsunagu_ingest_rejected_total", "reason", "rate_limited"))
                    .isPositive();
        }
    }

    private static IssuedCredentials register(TestServer target, Vin vin, PublishFormat format) {
        return target.server().registry().find(vin).isPresent()
                ? target.server().provisioning().reissue(vin)
                : target.register(vin, "owner-" + format.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static AgentConfig.Builder agentConfig(TestServer target, Vin vin, IssuedCredentials credentials) {
        return agentConfig(
                target,
                vin,
                credentials,
                dir.resolve("buffer-" + vin + "-" + target.config().mqttPort()));
    }

    private static AgentConfig.Builder agentConfig(
            TestServer target, Vin vin, IssuedCredentials credentials, Path bufferDir) {
        AgentCredentials pem = AgentCredentials.fromPem(
                credentials.certificatePem(), credentials.privateKeyPem(), credentials.caCertificatePem());
        return AgentConfig.builder(vin, pem)
                .host("localhost")
                .port(target.config().mqttPort())
                .bufferDir(bufferDir)
                .bufferFsync(false)
                .backoff(new ReconnectBackoff(100, 1_000))
                .retryBackoff(new ReconnectBackoff(100, 1_000))
                .jitterSeed(vin.hashCode());
    }

    /** Records frames {@code from..to}: frame n has sequence number n, time {@link #frameTs} and speed n. */
    private static void recordFrames(VehicleAgent agent, long from, long to) {
        for (long n = from; n <= to; n++) {
            long seq = agent.record(frameTs(n), Map.of(SPEED, (double) n, SOC, 80.0 - n / 10.0));
            assertThat(seq).as("sequence number of frame %d", n).isEqualTo(n);
        }
    }

    private static long frameTs(long n) {
        return T0 + n * 1_000;
    }

    private static void awaitDelivered(VehicleAgent agent, long frames) {
        await().atMost(TIMEOUT)
                .until(() -> agent.stats().acked() >= frames && agent.stats().buffered() == 0);
    }

    /** Frames 1..n are each in the history once, with their time and value, and the newest carries seq n. */
    private static void assertExactlyOnce(TestServer target, Vin vin, long n) {
        // Acknowledged means durable; the history shows it once the store's background apply caught up.
        assertThat(target.server().history().awaitVisible(TIMEOUT))
                .as("history visible")
                .isTrue();
        List<HistoryPoint> speeds = target.server()
                .history()
                .query(HistoryQuery.raw(vin, List.of(SPEED), T0, T0 + 86_400_000L, 10_000))
                .points();
        assertThat(speeds)
                .extracting(p -> p.tsMs() + "=" + p.value())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n)
                        .mapToObj(i -> frameTs(i) + "=" + new SignalValue.Num(i))
                        .toList());
        Sample latest = target.server().history().latest(vin).stream()
                .filter(s -> s.path().equals(SPEED))
                .findFirst()
                .orElseThrow();
        assertThat(latest.seq()).isEqualTo(n);
        assertThat(latest.tsMs()).isEqualTo(frameTs(n));
    }
}
