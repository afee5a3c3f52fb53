package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.twin.Twin;
import io.tsunagu.sim.FleetConfig;
import io.tsunagu.sim.FleetSimulator;
import io.tsunagu.sim.FleetStats;
import io.tsunagu.sim.Provisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulated fleet against the real server: every car provisioned, connected, and every value it sends accepted. */
class FleetSimulatorEndToEndTest {
    private static final int CARS = 20;
    private static final String SPEED = "Vehicle.Speed";
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";

    @TempDir
    Path dir;

    @Test
    void everySimulatedCarReachesItsTwinWithSpeedAndSocAndNoValueIsRejected() {
        try (TestServer server = TestServer.start(dir.resolve("server"))) {
            long start = Instant.now().truncatedTo(ChronoUnit.DAYS).toEpochMilli();
            FleetConfig config = FleetConfig.defaults(CARS, 7, dir.resolve("fleet"), start)
                    .withBroker("localhost", server.mqttPort())
                    .withSpeed(60);
            List<Vin> vins;
            try (FleetSimulator fleet = new FleetSimulator(config, provisioner(server))) {
                vins = fleet.vins();
                fleet.start();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> vins.stream().allMatch(vin -> hasSpeedAndSoc(server, vin)));
                await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().acked() >= 2L * CARS);
                FleetStats stats = fleet.stats();
                assertThat(stats.connected()).isEqualTo(CARS);
                assertThat(stats.rejected()).isZero();
                assertThat(stats.tickErrors()).isZero();
            }
            for (Vin vin : vins) {
                assertThat(server.adminApi()
                                .get("/api/v1/vehicles/" + vin + "/rejections")
                                .body()
                                .path("total")
                                .asLong(-1))
                        .as("values of %s the server rejected", vin)
                        .isZero();
            }
        }
    }

    /** Registers a car with the server's provisioning, or issues it a new certificate when it is known already. */
    private static Provisioner provisioner(TestServer server) {
        return (vin, profile) -> {
            IssuedCredentials issued = server.server().registry().find(vin).isPresent()
                    ? server.server().provisioning().reissue(vin)
                    : server.server()
                            .provisioning()
                            .register(vin, profile.name(), "fleet", Set.of("simulated"))
                            .credentials();
            return AgentCredentials.fromPem(issued.certificatePem(), issued.privateKeyPem(), issued.caCertificatePem());
        };
    }

    private static boolean hasSpeedAndSoc(TestServer server, Vin vin) {
        return server.server()
                .twins()
                .get(vin)
                .map(Twin::reported)
                .filter(reported -> reported.containsKey(SPEED) && reported.containsKey(SOC))
                .isPresent();
    }
}
