package io.tsunagu.agent.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.agent.AgentConfig;
import io.tsunagu.agent.TestBroker;
import io.tsunagu.agent.TestPki;
import io.tsunagu.agent.VehicleAgent;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.TargetInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole agent over real MQTT (embedded HiveMQ, mTLS) and real HTTPS: an update notification starts the update. */
class VehicleAgentUpdatesTest {
    private static final Vin VIN = Vin.of("5YJ3E1EA2KF317000");
    private static final EcuSerial TCU = EcuSerial.of("tcu-0001");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void anMqttNotificationMakesTheCarFetchVerifyAndInstallTheOfferedUpdate() throws Exception {
        TestPki pki = new TestPki();
        try (TestBroker broker = new TestBroker(dir.resolve("broker"), pki);
                FakeUpdateCloud cloud = new FakeUpdateCloud(pki, dir, VIN)) {
            broker.start();
            UpdateSettings updates = UpdateSettings.builder(cloud.origin(), cloud.directorRoot(), cloud.imageRoot())
                    .ecu(TCU, "tcu-v2", "1.0")
                    .pollIntervalMs(3_600_000) // the timer alone would not find the offer within the test
                    .build();
            AgentConfig config = AgentConfig.builder(VIN, pki.client(VIN.value()))
                    .port(broker.port)
                    .bufferDir(dir.resolve("car"))
                    .jitterSeed(7)
                    .updates(updates)
                    .build();
            try (VehicleAgent agent = new VehicleAgent(config)) {
                agent.start();
                UpdateClient client = agent.updates().orElseThrow().client();
                await().atMost(TIMEOUT).until(() -> broker.subscribed(VIN.value(), Topics.updates(VIN)));
                await().atMost(TIMEOUT)
                        .until(() -> client.rounds() >= 1 && cloud.polls().get() >= 1);
                int pollsBefore = cloud.polls().get();
                byte[] image = TestImages.image("2.0", 100_000, false);
                TargetInfo released = cloud.release("tcu-2.0.img", image, "tcu-v2", 2);
                cloud.assign(released, TCU.value(), "tcu-v2");
                cloud.offer(7, released, "tcu-firmware", "2.0");

                assertThat(broker.publishToClient(
                                VIN.value(),
                                Topics.updates(VIN),
                                "{\"actionId\": 7, \"state\": \"offered\"}".getBytes(StandardCharsets.UTF_8)))
                        .isTrue();

                await().atMost(TIMEOUT).until(() -> cloud.closed().isPresent());
                assertThat(cloud.polls().get()).isGreaterThan(pollsBefore);
                assertThat(cloud.closed()
                                .orElseThrow()
                                .path("status")
                                .path("result")
                                .path("finished")
                                .asText())
                        .isEqualTo("success");
                assertThat(agent.updates().orElseThrow().ab().installed(TCU).version())
                        .isEqualTo("2.0");
            }
        }
    }
}
