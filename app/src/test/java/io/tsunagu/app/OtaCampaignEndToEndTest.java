package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.command.PairingConfirmation;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.sim.FleetConfig;
import io.tsunagu.sim.FleetSimulator;
import io.tsunagu.sim.FleetUpdates;
import io.tsunagu.sim.Provisioner;
import io.tsunagu.sim.model.VehicleProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OTA acceptance test: a campaign across a simulated fleet in 3 groups (10 % / 30 % / 60 %), every car running
 * the real agent (MQTT notification, DDI over HTTPS with its certificate, Uptane verification, A/B install) against
 * the real server. Injected health-check failures in group 2 exceed its error threshold, so the campaign halts there:
 * group 1 runs the new version, the failing cars rolled back to the old one, group 3 was never offered the update.
 */
class OtaCampaignEndToEndTest {
    private static final int CARS = 100;
    private static final String MODEL = "Campaign EV";
    private static final String HW =
            FleetUpdates.of(URI.create("https://localhost")).hardwareId();
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    @TempDir
    Path dir;

    @Test
    void injectedFailuresInGroupTwoHaltTheCampaignAtItsErrorThreshold() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"))) {
            ApiCalls admin = server.adminApi();
            long start = Instant.now().truncatedTo(ChronoUnit.DAYS).toEpochMilli();
            FleetConfig config = FleetConfig.defaults(CARS, 3, dir.resolve("fleet"), start)
                    .withBroker("localhost", server.mqttPort())
                    .withReportRate(600_000, 0.01); // telemetry out of the way: this test is about updates
            List<Vin> byVin = FleetSimulator.sortedVins(config);
            // Groups are formed in VIN order: 10, 30, 60 cars. 8 of group 2's 30 exceed its 20 % error threshold.
            Set<Vin> failing = Set.copyOf(byVin.subList(10, 18));
            FleetUpdates updates = FleetUpdates.of(URI.create("https://localhost:" + server.httpsPort()))
                    .withPollIntervalMs(30_000)
                    .failing(failing::contains);
            try (FleetSimulator fleet = new FleetSimulator(
                    config, provisioner(server, admin), PairingConfirmation.APPROVE, Optional.of(updates))) {
                fleet.start();
                long campaign = campaign(server, admin, upload(server, image("2.0.0", 20_000)));

                await().atMost(TIMEOUT).until(() -> state(admin, campaign).equals("halted"));

                JsonNode groups =
                        admin.get("/api/v1/campaigns/" + campaign).body().path("groups");
                assertThat(groups.get(0).path("state").asText()).isEqualTo("finished");
                assertThat(groups.get(1).path("state").asText()).isEqualTo("halted");
                assertThat(groups.get(2).path("state").asText()).isIn("scheduled", "cancelled");
                await().atMost(TIMEOUT)
                        .until(() -> byVin.subList(0, 10).stream()
                                .allMatch(v -> fleet.installedVersion(v).equals(Optional.of("2.0.0"))));
                for (Vin vin : failing) {
                    assertThat(fleet.installedVersion(vin))
                            .as("%s rolled back", vin)
                            .contains("1.0.0");
                }
                for (Vin vin : byVin.subList(40, CARS)) {
                    assertThat(fleet.installedVersion(vin))
                            .as("%s never offered", vin)
                            .contains("1.0.0");
                }
            }
        }
    }

    /** Registers each car of the fleet as {@link #MODEL} with one ECU, returning its Uptane roots. */
    private static Provisioner provisioner(TestServer server, ApiCalls admin) {
        return new Provisioner() {
            @Override
            public AgentCredentials provision(Vin vin, VehicleProfile profile) {
                IssuedCredentials issued = server.server()
                        .provisioning()
                        .register(vin, MODEL, "fleet-owner", Set.of())
                        .credentials();
                ApiCalls.Response ecu =
                        admin.post("/api/v1/vehicles/" + vin + "/ecus", """
                        {"serial": "%s", "hardwareId": "%s", "primary": true}""".formatted(FleetUpdates.ECU, HW));
                assertThat(ecu.status()).as(ecu.text()).isBetween(200, 299);
                return AgentCredentials.fromPem(
                        issued.certificatePem(), issued.privateKeyPem(), issued.caCertificatePem());
            }

            @Override
            public Provisioned provisionCar(Vin vin, VehicleProfile profile) {
                AgentCredentials credentials = provision(vin, profile);
                return new Provisioned(
                        credentials,
                        List.of(),
                        Optional.of(new UpdateRoots(
                                root(admin, "/api/v1/uptane/director/" + vin + "/1.root.json"),
                                root(admin, "/api/v1/uptane/image/1.root.json"))));
            }
        };
    }

    private static byte[] root(ApiCalls admin, String path) {
        ApiCalls.Response response = admin.get(path);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text().getBytes(StandardCharsets.UTF_8);
    }

    private static String upload(TestServer server, byte[] image) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/v1/artifacts?filename=tcu.img&version=2.0.0&hardwareId=" + HW))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
    }

    private static long campaign(TestServer server, ApiCalls admin, String sha) {
        ApiCalls.Response distribution = admin.post("/api/v1/distributions", """
                {"name": "campaign-ev", "version": "2.0.0", "model": "%s", "modules": [{"hardwareId": "%s",
                 "name": "tcu-firmware", "type": "firmware", "version": "2.0.0", "artifacts": [{"sha256": "%s"}]}]}""".formatted(MODEL, HW, sha));
        assertThat(distribution.status()).as(distribution.text()).isEqualTo(201);
        ApiCalls.Response campaign = admin.post("/api/v1/campaigns", """
                {"name": "wave", "distributionId": %d, "groups": [{"percent": 10}, {"percent": 30}, {"percent": 60}],
                 "successThresholdPct": 90, "errorThresholdPct": 20}""".formatted(
                        distribution.body().path("id").asLong()));
        assertThat(campaign.status()).as(campaign.text()).isEqualTo(201);
        long id = campaign.body().path("id").asLong();
        assertThat(admin.post("/api/v1/campaigns/" + id + "/start", "{}").status())
                .isBetween(200, 299);
        return id;
    }

    private static String state(ApiCalls admin, long campaign) {
        return admin.get("/api/v1/campaigns/" + campaign).body().path("state").asText();
    }

    private static byte[] image(String version, int lengthBytes) {
        byte[] bytes = new byte[lengthBytes];
        new Random(version.hashCode()).nextBytes(bytes);
        return bytes;
    }
}
