package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.agent.AgentConfig;
import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.ReconnectBackoff;
import io.tsunagu.agent.VehicleAgent;
import io.tsunagu.agent.update.EcuSerial;
import io.tsunagu.agent.update.UpdateSettings;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One car, the real server, end to end over real MQTT and HTTPS: an operator uploads an image and rolls it out; the
 * server offers the action, binds it in the Uptane director and notifies the car on MQTT; the agent fetches the DDI
 * deployment with its client certificate, verifies director and image metadata, downloads, installs A/B, commits and
 * reports; the server sees success and the installed base. Refusals end to end: a tampered image in the artifact
 * store ({@code hash_mismatch}) and a car whose ECU has another hardware id than the inventory says ({@code
 * wrong_hardware_id}). Each test has its own car model, so its campaign sees only its car.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtaEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final EcuSerial TCU = EcuSerial.of("tcu-0001");
    private static final String HW = "tcu-v2";

    private Path dir;

    private TestServer server;
    private ApiCalls admin;
    private int serial;

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        server = TestServer.start(dir.resolve("server"));
        admin = server.adminApi();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aCampaignUpdatesTheCarWhichCommitsAndTheServerSeesSuccessAndTheInstalledBase() throws Exception {
        Car car = car("OTA One EV", HW);
        byte[] image = image("2.0.0", 300_000);
        long campaign = rollOut(car.model, "2.0.0", image);

        try (VehicleAgent agent = car.agent()) {
            agent.start();
            await().atMost(TIMEOUT).until(() -> state(campaign).equals("finished"));
            assertThat(agent.updates().orElseThrow().ab().installed(TCU).version())
                    .isEqualTo("2.0.0");
            assertThat(agent.updates().orElseThrow().ab().installed(TCU).sha256())
                    .isEqualTo(sha256(image));
        }
        assertThat(server.server().rollouts().installedBase(car.vin)).isPresent();
        JsonNode updates = admin.get("/api/v1/vehicles/" + car.vin + "/updates").body();
        assertThat(updates.toString()).contains("success");
    }

    @Test
    void aTamperedImageIsRefusedAsHashMismatchAndNothingIsInstalled() throws Exception {
        Car car = car("OTA Tamper EV", HW);
        byte[] image = image("2.1.0", 200_000);
        String sha = upload(image, HW);
        byte[] tampered = image.clone();
        tampered[100_000] ^= 1;
        try (Stream<Path> files = Files.walk(dir.resolve("server"))) {
            Path stored = files.filter(p -> p.getFileName().toString().equals(sha))
                    .findFirst()
                    .orElseThrow();
            Files.write(stored, tampered);
        }
        long campaign = campaign(distribution(car.model, "2.1.0", sha));

        try (VehicleAgent agent = car.agent()) {
            agent.start();
            await().atMost(TIMEOUT).until(() -> !state(campaign).equals("running"));
            assertThat(agent.updates().orElseThrow().ab().installed(TCU).version())
                    .isEqualTo("1.0.0");
        }
        assertThat(history(car.vin)).contains("hash_mismatch");
    }

    @Test
    void aCarWhoseEcuIsAnotherHardwareRefusesTheImageAsWrongHardwareId() throws Exception {
        Car car = car("OTA Hardware EV", "tcu-v3"); // the server's inventory says tcu-v2
        long campaign = rollOut(car.model, "2.2.0", image("2.2.0", 50_000));

        try (VehicleAgent agent = car.agent()) {
            agent.start();
            await().atMost(TIMEOUT).until(() -> !state(campaign).equals("running"));
            assertThat(agent.updates().orElseThrow().ab().installed(TCU).version())
                    .isEqualTo("1.0.0");
        }
        assertThat(history(car.vin)).contains("wrong_hardware_id");
    }

    // --- helpers

    /** A registered car of its own model with one ECU (inventory: {@link #HW}); the agent claims {@code carHw}. */
    private Car car(String model, String carHw) {
        Vin vin = TestVins.northAmerican("1TSUUPDT", ++serial);
        IssuedCredentials issued = server.server()
                .provisioning()
                .register(vin, model, "owner-ota", java.util.Set.of())
                .credentials();
        ok(admin.post("/api/v1/vehicles/" + vin + "/ecus", """
                {"serial": "%s", "hardwareId": "%s", "primary": true}""".formatted(TCU.value(), HW)));
        return new Car(vin, model, carHw, issued);
    }

    private final class Car {
        final Vin vin;
        final String model;
        final String hardwareId;
        final IssuedCredentials issued;

        Car(Vin vin, String model, String hardwareId, IssuedCredentials issued) {
            this.vin = vin;
            this.model = model;
            this.hardwareId = hardwareId;
            this.issued = issued;
        }

        VehicleAgent agent() {
            UpdateSettings updates = UpdateSettings.builder(
                            URI.create("https://localhost:" + server.httpsPort()),
                            root("/api/v1/uptane/director/" + vin + "/1.root.json"),
                            root("/api/v1/uptane/image/1.root.json"))
                    .ecu(TCU, hardwareId, "1.0.0")
                    .pollIntervalMs(60_000)
                    .build();
            AgentConfig config = AgentConfig.builder(
                            vin,
                            AgentCredentials.fromPem(
                                    issued.certificatePem(), issued.privateKeyPem(), issued.caCertificatePem()))
                    .host("localhost")
                    .port(server.mqttPort())
                    .bufferDir(dir.resolve("car-" + vin))
                    .bufferFsync(false)
                    .backoff(new ReconnectBackoff(100, 1_000))
                    .jitterSeed(vin.hashCode())
                    .updates(updates)
                    .build();
            return new VehicleAgent(config);
        }
    }

    private byte[] root(String path) {
        ApiCalls.Response response = admin.get(path);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text().getBytes(StandardCharsets.UTF_8);
    }

    private long rollOut(String model, String version, byte[] image) throws Exception {
        return campaign(distribution(model, version, upload(image, HW)));
    }

    private String upload(byte[] image, String hardwareId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/v1/artifacts?filename=tcu.img&version=x&hardwareId=" + hardwareId))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return sha256(image);
    }

    private long distribution(String model, String version, String sha) {
        return ok(admin.post("/api/v1/distributions", """
                {"name": "%s", "version": "%s", "model": "%s", "modules": [{"hardwareId": "%s", "name": "tcu-firmware",
                 "type": "firmware", "version": "%s", "artifacts": [{"sha256": "%s"}]}]}""".formatted(
                                model.replace(' ', '-'), version, model, HW, version, sha)))
                .path("id")
                .asLong();
    }

    private long campaign(long distributionId) {
        long id = ok(admin.post("/api/v1/campaigns", """
                {"name": "c%d", "distributionId": %d, "groups": [{"percent": 100}],
                 "successThresholdPct": 100, "errorThresholdPct": 0}""".formatted(distributionId, distributionId)))
                .path("id")
                .asLong();
        ok(admin.post("/api/v1/campaigns/" + id + "/start", "{}"));
        return id;
    }

    private String state(long campaign) {
        return admin.get("/api/v1/campaigns/" + campaign).body().path("state").asText();
    }

    /** Every status-history entry of the car's actions: event and messages (the car's DDI details). */
    private String history(Vin vin) {
        StringBuilder out = new StringBuilder();
        for (JsonNode action :
                admin.get("/api/v1/vehicles/" + vin + "/updates").body().findParents("campaignId")) {
            server.server()
                    .rollouts()
                    .history(vin, action.path("id").asLong(), 100)
                    .forEach(e -> out.append(e.event())
                            .append(' ')
                            .append(e.messages())
                            .append('\n'));
        }
        return out.toString();
    }

    private static JsonNode ok(ApiCalls.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 299);
        return response.body();
    }

    private static byte[] image(String version, int lengthBytes) {
        byte[] bytes = new byte[lengthBytes];
        new Random(version.hashCode()).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
