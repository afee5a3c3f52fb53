package io.tsunagu.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Prepares the hawkBit DDI scenarios the way an operator would: uploads an image through the artifact API, creates a
 * distribution and a one-group campaign over the bench cars, starts it, and waits until the cars' DDI polls show
 * their deployment. DDI requests use the tenant's gateway token from the server's data directory.
 */
final class DdiRollout {
    static final String TENANT = "DEFAULT";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration OFFER_TIMEOUT = Duration.ofSeconds(120);

    final String gatewayToken;
    final String sha256;
    final String downloadPath;
    final long lengthBytes;

    private DdiRollout(String gatewayToken, String sha256, String downloadPath, long lengthBytes) {
        this.gatewayToken = gatewayToken;
        this.sha256 = sha256;
        this.downloadPath = downloadPath;
        this.lengthBytes = lengthBytes;
    }

    /** Rolls an image of {@code imageBytes} seeded random bytes out to {@code cars} and waits for the offers. */
    static DdiRollout prepare(ChildServer server, List<CarIdentity> cars, int imageBytes, String name) {
        byte[] image = new byte[imageBytes];
        new Random(7).nextBytes(image);
        String sha256 = upload(server, name + ".swu", image);
        long distribution = server.post(
                        "/api/v1/distributions",
                        "{\"name\":\"" + name + "\",\"version\":\"1." + imageBytes
                                + "\",\"model\":\"bench\",\"modules\":[{\"hardwareId\":\"bench-ecu\",\"name\":\"rootfs\","
                                + "\"type\":\"os\",\"version\":\"1.0\",\"artifacts\":[{\"sha256\":\"" + sha256
                                + "\"}]}]}")
                .path("id")
                .asLong();
        long campaign = server.post(
                        "/api/v1/campaigns",
                        "{\"name\":\"" + name + "\",\"distributionId\":" + distribution
                                + ",\"groups\":[{\"percent\":100}]}")
                .path("id")
                .asLong();
        server.post("/api/v1/campaigns/" + campaign + "/start", "{}");
        String token = gatewayToken(server);
        String download = awaitOffers(server, cars, token);
        return new DdiRollout(token, sha256, download, imageBytes);
    }

    /**
     * Closes every car's action with success through DDI feedback, so the campaign finishes and a later scenario can
     * roll out to the same cars (a car with an open action is left out of new campaigns).
     */
    void finish(ChildServer server, List<CarIdentity> cars) {
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(
                16, Thread.ofVirtual().factory())) {
            for (CarIdentity car : cars) {
                pool.submit(() -> close(server, car));
            }
        }
    }

    private void close(ChildServer server, CarIdentity car) {
        try {
            JsonNode poll = MAPPER.readTree(
                    get(server, controllerPath(car), gatewayToken).body());
            String deployment =
                    poll.path("_links").path("deploymentBase").path("href").asText();
            if (deployment.isEmpty()) {
                return;
            }
            String path = java.net.URI.create(deployment).getRawPath() + "/feedback";
            HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "GatewayToken " + gatewayToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"status\":{\"execution\":\"closed\","
                            + "\"result\":{\"finished\":\"success\"},\"details\":[\"bench done\"]}}"))
                    .build();
            server.http().send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String controllerPath(CarIdentity car) {
        return "/" + TENANT + "/controller/v1/" + car.vin();
    }

    /** GET with the gateway token; returns the status, or -1 if the request failed. */
    static HttpResponse<byte[]> get(ChildServer server, String path, String gatewayToken)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "GatewayToken " + gatewayToken)
                .build();
        return server.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String upload(ChildServer server, String filename, byte[] image) {
        HttpRequest request = HttpRequest.newBuilder(
                        server.uri("/api/v1/artifacts?filename=" + filename + "&version=1.0&hardwareId=bench-ecu"))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image))
                .build();
        try {
            HttpResponse<String> response = server.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        "artifact upload answered " + response.statusCode() + ": " + response.body());
            }
            return MAPPER.readTree(response.body()).path("sha256").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String gatewayToken(ChildServer server) {
        try {
            return Files.readString(server.dataDir().resolve("ddi-gateway.token"), StandardCharsets.US_ASCII)
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no DDI gateway token in the server's data directory", e);
        }
    }

    /** Waits until every car's poll links a deployment; returns the first car's artifact download path. */
    private static String awaitOffers(ChildServer server, List<CarIdentity> cars, String token) {
        long deadline = System.nanoTime() + OFFER_TIMEOUT.toNanos();
        int offered = 0;
        while (offered < cars.size()) {
            try {
                JsonNode poll = MAPPER.readTree(
                        get(server, controllerPath(cars.get(offered)), token).body());
                if (poll.path("_links").has("deploymentBase")) {
                    offered++;
                    continue;
                }
            } catch (IOException e) {
                // not yet; retried below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(offered + " of " + cars.size() + " cars were offered the update within "
                        + OFFER_TIMEOUT + "\n" + server.logTail());
            }
            ChildServer.sleep(200);
        }
        return downloadPath(server, cars.getFirst(), token);
    }

    private static String downloadPath(ChildServer server, CarIdentity car, String token) {
        try {
            JsonNode poll =
                    MAPPER.readTree(get(server, controllerPath(car), token).body());
            String deployment =
                    poll.path("_links").path("deploymentBase").path("href").asText();
            JsonNode base =
                    MAPPER.readTree(get(server, java.net.URI.create(deployment).getRawPath(), token)
                            .body());
            String href = base.path("deployment")
                    .path("chunks")
                    .path(0)
                    .path("artifacts")
                    .path(0)
                    .path("_links")
                    .path("download-http")
                    .path("href")
                    .asText();
            return java.net.URI.create(href).getRawPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
