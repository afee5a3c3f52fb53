package io.tsunagu.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.protocol.Vin;
import io.tsunagu.sim.model.VehicleProfile;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetSimulatorTest {
    private static final long START_MS = 1_767_225_600_000L;

    @TempDir
    Path dir;

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void capsTheRealTimeReportRateByStretchingTheSimulatedInterval() {
        FleetConfig realTime = FleetConfig.defaults(1, 1, dir, START_MS);
        assertThat(realTime.effectiveIntervalMs()).isEqualTo(1_000);
        assertThat(realTime.realPeriodNanos()).isEqualTo(1_000_000_000L);
        FleetConfig fast = realTime.withSpeed(60);
        assertThat(fast.effectiveIntervalMs()).isEqualTo(60_000);
        assertThat(fast.realPeriodNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void provisionsEveryCarAndBuffersItsFramesWhileTheBrokerIsUnreachable() throws Exception {
        Map<Vin, VehicleProfile> provisioned = new ConcurrentHashMap<>();
        Provisioner provisioner = (vin, profile) -> {
            provisioned.put(vin, profile);
            return TestCertificates.forCn(vin.value());
        };
        FleetConfig config = FleetConfig.defaults(3, 11, dir, START_MS)
                .withBroker("localhost", closedPort())
                .withSpeed(600)
                .withReportRate(1_000, 20);
        try (FleetSimulator fleet = new FleetSimulator(config, provisioner)) {
            fleet.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> fleet.stats().recorded() >= 30);
            FleetStats stats = fleet.stats();
            assertThat(stats.cars()).isEqualTo(3);
            assertThat(stats.connected()).isZero();
            assertThat(stats.tickErrors()).isZero();
            assertThat(stats.acked()).isZero();
            assertThat(stats.rejected()).isZero();
            assertThat(stats.buffered()).isEqualTo(stats.recorded());
            assertThat(provisioned.keySet()).containsExactlyInAnyOrderElementsOf(fleet.vins());
            assertThat(provisioned.values()).containsExactlyInAnyOrderElementsOf(VehicleProfile.ALL);
        }
    }
}
