package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.testing.HttpsCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** OTA artifacts over real HTTPS: upload, ranged and resumed downloads, bad input, roles, restart. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long MAX_BYTES = 16L << 20;
    static final String QUERY = "?filename=tcu-fw.bin&hardwareId=tcu-a&hardwareId=tcu-b&releaseNotes=Fixes%20sleep";

    Path dir;

    TestServer server;
    HttpsCalls admin;
    HttpsCalls operator;
    HttpsCalls owner;
    long seed = 100;

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        server = TestServer.start(dir, c -> c.withArtifactMaxBytes(MAX_BYTES));
        admin = HttpsCalls.of(server, server.adminToken());
        operator = HttpsCalls.of(
                server, server.server().users().create("ops", Role.OPERATOR).token());
        owner = HttpsCalls.of(
                server, server.server().users().create("alice", Role.OWNER).token());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    byte[] content(int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed++).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> upload(HttpsCalls client, String query, byte[] body) {
        return client.send(
                client.request("/api/v1/artifacts" + query)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> content(HttpsCalls client, String sha256, String... headers) {
        HttpRequest.Builder request =
                client.request("/api/v1/artifacts/" + sha256 + "/content").GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    String stored(byte[] body, String version) throws IOException {
        HttpResponse<String> response = upload(operator, QUERY + "&version=" + version, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("sha256").asText();
    }

    @Test
    void anUploadedImageDownloadsOverHttpsWithItsMetadataAndEntityTag() throws IOException {
        byte[] body = content(300_000);

        HttpResponse<String> created = upload(operator, QUERY + "&version=1.4.2&sha256=" + sha256(body), body);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode artifact = json(created);
        assertThat(artifact.path("sha256").asText()).isEqualTo(sha256(body));
        assertThat(artifact.path("lengthBytes").asLong()).isEqualTo(body.length);
        assertThat(artifact.path("version").asText()).isEqualTo("1.4.2");
        assertThat(artifact.path("filename").asText()).isEqualTo("tcu-fw.bin");
        assertThat(artifact.path("releaseNotes").asText()).isEqualTo("Fixes sleep");
        assertThat(artifact.path("createdBy").asText()).isEqualTo("ops");
        assertThat(artifact.path("hardwareIds").toString()).isEqualTo("[\"tcu-a\",\"tcu-b\"]");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/artifacts/" + sha256(body));

        HttpResponse<byte[]> download = content(admin, sha256(body));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(body);
        assertThat(download.headers().firstValue("ETag")).hasValue('"' + sha256(body) + '"');
        assertThat(download.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(download.headers().firstValue("Content-Length")).hasValue(Integer.toString(body.length));
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");

        HttpResponse<String> shown = admin.send(
                admin.request("/api/v1/artifacts/" + sha256(body).toUpperCase(java.util.Locale.ROOT)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(shown)).isEqualTo(artifact);
        HttpResponse<String> listed = admin.send(
                admin.request("/api/v1/artifacts?hardwareId=tcu-b&limit=500"), HttpResponse.BodyHandlers.ofString());
        assertThat(json(listed).path("items").findValuesAsText("sha256")).contains(sha256(body));
    }

    @Test
    void rangesAreServedAs206AndUnsatisfiableOnesAs416() throws IOException {
        byte[] body = content(10_000);
        String sha = stored(body, "2.0.0");

        HttpResponse<byte[]> middle = content(admin, sha, "Range", "bytes=1000-1999");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/10000");
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 1000, 2000));

        HttpResponse<byte[]> suffix = content(admin, sha, "Range", "bytes=-10");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 9990, 10000));

        HttpResponse<byte[]> beyond = content(admin, sha, "Range", "bytes=10000-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */10000");
        assertThat(new String(beyond.body(), StandardCharsets.UTF_8)).contains("range_not_satisfiable");

        HttpResponse<byte[]> staleIfRange =
                content(admin, sha, "Range", "bytes=0-9", "If-Range", "\"" + "0".repeat(64) + '"');
        assertThat(staleIfRange.statusCode())
                .as("If-Range with another tag gets the whole content")
                .isEqualTo(200);
        assertThat(staleIfRange.body()).isEqualTo(body);

        HttpResponse<byte[]> cached = content(admin, sha, "If-None-Match", '"' + sha + '"');
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
    }

    @Test
    void aDownloadCutMidWayResumesWithARangeAndTheJoinedPartsMatch() throws IOException {
        byte[] body = content(12 << 20);
        String sha = stored(body, "3.0.0");
        long abortedBefore = server.server().metrics().value("tsunagu_artifact_downloads_aborted_total");

        byte[] head = readThenCut(sha, 1 << 20);

        HttpResponse<byte[]> rest =
                content(admin, sha, "Range", "bytes=" + head.length + "-", "If-Range", '"' + sha + '"');
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range"))
                .hasValue("bytes " + head.length + "-" + (body.length - 1) + "/" + body.length);
        assertThat(sha256(head, rest.body())).isEqualTo(sha);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(server.server().metrics().value("tsunagu_artifact_downloads_aborted_total"))
                                .as("the server saw the cut connection and went on serving")
                                .isGreaterThan(abortedBefore));
    }

    /** GET over a raw TLS socket, read the headers and {@code bytes} of the body, then drop the connection. */
    byte[] readThenCut(String sha, int bytes) throws IOException {
        try (SSLSocket socket = admin.socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/artifacts/" + sha + "/content HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Authorization: Bearer " + admin.token() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String headers = readHeaders(in);
            assertThat(headers).startsWith("HTTP/1.1 200").contains("Content-Length: " + (12 << 20));
            byte[] head = in.readNBytes(bytes);
            assertThat(head).hasSize(bytes);
            socket.setSoLinger(true, 0); // close with a TCP reset, as a dropped mobile link ends
            return head;
        }
    }

    static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            assertThat(b).as("response headers end").isNotNegative();
            headers.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return headers.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void anUploadCutMidWayLeavesNoFileAndNoRow() throws IOException {
        byte[] body = content(4 << 20);
        long before = interruptedUploads();

        try (SSLSocket socket = admin.socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/artifacts" + QUERY + "&version=9.9 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Authorization: Bearer " + admin.token() + "\r\n"
                            + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 1 << 20);
            out.flush();
            socket.setSoLinger(true, 0); // the link drops after a quarter of the image
        }

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(interruptedUploads())
                        .as("the server noticed the cut")
                        .isGreaterThan(before));
        assertThat(server.server().artifacts().find(io.tsunagu.server.update.Sha256.of(sha256(body))))
                .isEmpty();
        assertThat(contentFiles()).noneMatch(f -> f.startsWith(dir.resolve("artifacts/incoming")));
        assertThat(contentFiles()).noneMatch(f -> f.getFileName().toString().equals(sha256(body)));
    }

    long interruptedUploads() {
        return server.server()
                .metrics()
                .value("tsunagu_artifact_uploads_rejected_total", "reason", "upload_interrupted");
    }

    @Test
    void theSameImageUploadedTwiceIsStoredOnce() throws IOException {
        byte[] body = content(50_000);
        String sha = stored(body, "4.0.0");

        HttpResponse<String> again = upload(admin, QUERY + "&version=4.0.0", body);
        HttpResponse<String> otherVersion = upload(admin, QUERY + "&version=4.0.1", body);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("sha256").asText()).isEqualTo(sha);
        assertThat(json(again).path("createdBy").asText())
                .as("the first upload's metadata")
                .isEqualTo("ops");
        assertThat(otherVersion.statusCode()).isEqualTo(409);
        assertThat(json(otherVersion).path("code").asText()).isEqualTo("artifact_exists");
        assertThat(contentFiles())
                .filteredOn(f -> f.getFileName().toString().equals(sha))
                .hasSize(1);
    }

    @Test
    void aChecksumMismatchIsRefusedAndStoresNothing() throws IOException {
        byte[] body = content(20_000);
        long before = server.server()
                .metrics()
                .value("tsunagu_artifact_uploads_rejected_total", "reason", "checksum_mismatch");

        HttpResponse<String> response = upload(operator, QUERY + "&version=5.0&sha256=" + sha256(new byte[] {1}), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("code").asText()).isEqualTo("checksum_mismatch");
        assertThat(content(admin, sha256(body)).statusCode()).isEqualTo(404);
        assertThat(contentFiles()).noneMatch(f -> f.getFileName().toString().equals(sha256(body)));
        assertThat(server.server()
                        .metrics()
                        .value("tsunagu_artifact_uploads_rejected_total", "reason", "checksum_mismatch"))
                .isEqualTo(before + 1);
    }

    @Test
    void badUploadsGetClearErrors() throws IOException {
        byte[] body = content(1_000);
        assertError(upload(operator, QUERY, body), 400, "invalid_version");
        assertError(upload(operator, "?version=1&hardwareId=x", body), 400, "invalid_filename");
        assertError(upload(operator, "?version=1&filename=a.bin", body), 400, "invalid_hardware_ids");
        assertError(upload(operator, QUERY + "&version=1&colour=red", body), 400, "invalid_parameter");
        assertError(upload(operator, QUERY + "&version=1&sha256=abc", body), 400, "invalid_sha256");
        assertError(upload(operator, QUERY + "&version=1", new byte[0]), 400, "empty_body");
        assertError(upload(operator, QUERY + "&version=1", content((int) MAX_BYTES + 1)), 413, "artifact_too_large");
        HttpResponse<String> chunked = operator.send(
                operator.request("/api/v1/artifacts" + QUERY + "&version=1")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(content((int) MAX_BYTES + 100_000)))),
                HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, "artifact_too_large");
        assertThat(contentFiles()).allMatch(f -> !f.startsWith(dir.resolve("artifacts/incoming")));
    }

    @Test
    void ownersMayNotUseArtifacts() throws IOException {
        String sha = stored(content(1_000), "6.0");

        assertError(upload(owner, QUERY + "&version=6.1", content(1_000)), 403, "forbidden");
        assertThat(owner.send(owner.request("/api/v1/artifacts"), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);
        assertThat(content(owner, sha).statusCode()).isEqualTo(403);
        assertThat(content(HttpsCalls.of(server, ""), sha).statusCode()).isEqualTo(401);
    }

    @Test
    void aCarMayPresentItsCertificateOnTheHttpsListener() throws IOException {
        Vin vin = TestVins.northAmerican("1TSUART0", 1);
        IssuedCredentials car = server.register(vin, "alice");
        String sha = stored(content(2_000), "7.0");

        HttpsCalls withCertificate = HttpsCalls.of(server, server.adminToken(), Optional.of(car));

        assertThat(content(withCertificate, sha).statusCode()).isEqualTo(200);
    }

    @Test
    void artifactsSurviveARestart() throws IOException {
        byte[] body = content(100_000);
        String sha = stored(body, "8.0");

        server.restart();

        HttpResponse<byte[]> download = content(admin, sha, "Range", "bytes=50000-");
        assertThat(download.statusCode()).isEqualTo(206);
        assertThat(download.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 50_000, body.length));
    }

    void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("code").asText()).isEqualTo(code);
    }

    List<Path> contentFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("artifacts"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
