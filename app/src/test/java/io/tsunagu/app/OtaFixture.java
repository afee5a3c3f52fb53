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
import io.tsunagu.server.update.rollout.UpdateAction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;

/**
 * One real server and the helpers the OTA end-to-end tests share: register a car with one ECU in the inventory, build
 * its agent (real MQTT and HTTPS with the car's certificate), upload an image, define a distribution, start a campaign
 * and read the car's action history.
 */
final class OtaFixture implements AutoCloseable {
    static final EcuSerial TCU = EcuSerial.of("tcu-0001");
    static final String HW = "tcu-v2";

    final Path dir;
    final TestServer server;
    final ApiCalls admin;
    private final String vinPrefix;
    private int serial;

    OtaFixture(Path dir, String vinPrefix) {
        this.dir = dir;
        this.vinPrefix = vinPrefix;
        this.server = TestServer.start(dir.resolve("server"));
        this.admin = server.adminApi();
    }

    @Override
    public void close() {
        server.close();
    }

    /** A registered car of its own model with one ECU (inventory: {@link #HW}); the agent claims {@code carHw}. */
    Car car(String model, String carHw) {
        Vin vin = TestVins.northAmerican(vinPrefix, ++serial);
        IssuedCredentials issued = server.server()
                .provisioning()
                .register(vin, model, "owner-ota", Set.of())
                .credentials();
        ok(admin.post("/api/v1/vehicles/" + vin + "/ecus", """
                {"serial": "%s", "hardwareId": "%s", "primary": true}""".formatted(TCU.value(), HW)));
        return new Car(vin, model, carHw, issued);
    }

    final class Car {
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
            return agent(Clock.systemUTC());
        }

        /** The car's agent; {@code clock} is its Uptane expiry clock. */
        VehicleAgent agent(Clock clock) {
            UpdateSettings updates = UpdateSettings.builder(
                            URI.create("https://localhost:" + server.httpsPort()),
                            root("/api/v1/uptane/director/" + vin + "/1.root.json"),
                            root("/api/v1/uptane/image/1.root.json"))
                    .ecu(TCU, hardwareId, "1.0.0")
                    .pollIntervalMs(60_000)
                    .clock(clock)
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

    long rollOut(String model, String version, byte[] image) throws Exception {
        return campaign(distribution(model, version, upload(image, HW)));
    }

    String upload(byte[] image, String hardwareId) throws Exception {
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

    long distribution(String model, String version, String sha) {
        return ok(admin.post("/api/v1/distributions", """
                {"name": "%s", "version": "%s", "model": "%s", "modules": [{"hardwareId": "%s", "name": "tcu-firmware",
                 "type": "firmware", "version": "%s", "artifacts": [{"sha256": "%s"}]}]}""".formatted(
                                model.replace(' ', '-'), version, model, HW, version, sha)))
                .path("id")
                .asLong();
    }

    long campaign(long distributionId) {
        long id = ok(admin.post("/api/v1/campaigns", """
                {"name": "c%d", "distributionId": %d, "groups": [{"percent": 100}],
                 "successThresholdPct": 100, "errorThresholdPct": 0}""".formatted(distributionId, distributionId)))
                .path("id")
                .asLong();
        ok(admin.post("/api/v1/campaigns/" + id + "/start", "{}"));
        return id;
    }

    String state(long campaign) {
        return admin.get("/api/v1/campaigns/" + campaign).body().path("state").asText();
    }

    /** Every status-history entry of the car's actions: event and messages (the car's DDI details). */
    String history(Vin vin) {
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

    /** The car's action of {@code campaign}, awaited until it is closed. */
    UpdateAction closedAction(Vin vin, long campaign) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> server.server().rollouts().vehicleActions(vin, 100).stream()
                                .filter(a -> a.campaignId() == campaign)
                                .findFirst(),
                        a -> a.isPresent() && a.get().finishedAt().isPresent())
                .orElseThrow();
    }

    /** The messages of an action's status history, one entry a line. */
    String messages(Vin vin, long actionId) {
        StringBuilder out = new StringBuilder();
        server.server()
                .rollouts()
                .history(vin, actionId, 100)
                .forEach(e ->
                        out.append(e.state()).append(' ').append(e.messages()).append('\n'));
        return out.toString();
    }

    static JsonNode ok(ApiCalls.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 299);
        return response.body();
    }

    static byte[] image(String version, int lengthBytes) {
        byte[] bytes = new byte[lengthBytes];
        new Random(version.hashCode()).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
