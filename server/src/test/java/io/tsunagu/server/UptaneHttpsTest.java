package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.EcuIdentity;
import io.tsunagu.protocol.update.FetchedMetadata;
import io.tsunagu.protocol.update.RepositoryTrust;
import io.tsunagu.protocol.update.TrustedState;
import io.tsunagu.protocol.update.UpdateVerifier;
import io.tsunagu.protocol.update.VerifiedTarget;
import io.tsunagu.protocol.update.VerifiedUpdate;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.HttpsCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import io.tsunagu.server.update.ArtifactUpload;
import io.tsunagu.server.update.uptane.ImageAssignment;
import io.tsunagu.server.update.uptane.VehicleEcu;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cars on the HTTPS listener: a car reads Uptane metadata with its client certificate (no token), only its own
 * director metadata; images uploaded to the artifact store are released with the release counter of their version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptaneHttpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HW = "gw-hw-3";

    TestServer server;
    Vin car = TestVins.northAmerican("1TSUHTTP", 1);
    Vin other = TestVins.northAmerican("1TSUHTTP", 2);
    IssuedCredentials credentials;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.start(dir);
        credentials = server.register(car, "alice");
        server.register(other, "bob");
        server.server().uptane().ecus().replace(car, List.of(new VehicleEcu("GW-0001", HW, true)));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> get(HttpsCalls calls, String path) {
        return calls.send(calls.request(path).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String uploadAndRelease(String version, String content) {
        var stored = server.server()
                .artifacts()
                .store(
                        new ArtifactUpload("gw.bin", version, List.of(HW), "", Optional.empty(), "admin"),
                        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
                        OptionalLong.empty());
        return stored.artifact().sha256().value();
    }

    @Test
    void aCarFetchesAndVerifiesItsMetadataWithItsCertificateAlone() {
        String sha256 = uploadAndRelease("3.2.1", "gateway image 3.2.1");
        server.server().uptane().director().assign(car, List.of(ImageAssignment.of(sha256, HW)));
        HttpsCalls asCar = HttpsCalls.of(server, "", Optional.of(credentials));
        TrustedState trusted = new TrustedState(
                RepositoryTrust.initial(
                        server.server().uptane().director().newestRoot().toJsonBytes()),
                RepositoryTrust.initial(
                        server.server().uptane().image().newestRoot().toJsonBytes()),
                Map.of());

        VerifiedUpdate update = new UpdateVerifier(List.of(EcuIdentity.of("GW-0001", HW)), Clock.systemUTC())
                .verify(
                        trusted,
                        files(asCar, "/api/v1/uptane/director/" + car.value()),
                        Optional.of(files(asCar, "/api/v1/uptane/image")));

        assertThat(update.targets())
                .containsExactly(
                        new VerifiedTarget("GW-0001", HW, sha256 + "/gw.bin", 19, sha256, 3_000_002_000_001L, false));
    }

    @Test
    void aCarCannotReadAnotherCarsDirectorMetadataNorReadWithoutACertificate() throws IOException {
        HttpsCalls asCar = HttpsCalls.of(server, "", Optional.of(credentials));
        HttpsCalls anonymous = HttpsCalls.of(server, "");

        HttpResponse<byte[]> own = get(asCar, "/api/v1/uptane/director/" + car.value() + "/timestamp.json");
        HttpResponse<byte[]> foreign = get(asCar, "/api/v1/uptane/director/" + other.value() + "/timestamp.json");
        HttpResponse<byte[]> foreignRoot = get(asCar, "/api/v1/uptane/director/" + other.value() + "/1.root.json");
        HttpResponse<byte[]> noCertificate =
                get(anonymous, "/api/v1/uptane/director/" + car.value() + "/timestamp.json");
        HttpResponse<byte[]> carChangesEcus = asCar.send(
                asCar.request("/api/v1/vehicles/" + car.value() + "/ecus")
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"ecus\": []}")),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreignRoot.statusCode()).isEqualTo(404);
        assertThat(code(foreign)).isEqualTo("not_found");
        assertThat(noCertificate.statusCode()).isEqualTo(401);
        assertThat(carChangesEcus.statusCode())
                .as("ECU writes need an operator token")
                .isEqualTo(401);
    }

    @Test
    void anUploadedImageIsReleasedWithTheCounterOfItsVersion() throws IOException {
        String sha256 = uploadAndRelease("4.0.7-rc2", "gateway image 4.0.7 rc2");
        HttpsCalls admin = HttpsCalls.of(server, server.adminToken());

        HttpResponse<byte[]> released = admin.send(
                admin.request("/api/v1/uptane/image/targets")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"sha256\": \"" + sha256 + "\"}")),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(released.statusCode()).isEqualTo(201);
        JsonNode target = JSON.readTree(released.body());
        assertThat(target.path("name").asText()).isEqualTo(sha256 + "/gw.bin");
        assertThat(target.path("releaseCounter").asLong()).isEqualTo(4_000_000_000_007L);
        assertThat(target.path("hardwareIds").get(0).asText()).isEqualTo(HW);
    }

    private static FetchedMetadata files(HttpsCalls calls, String base) {
        return new FetchedMetadata(
                List.of(),
                body(calls, base + "/timestamp.json"),
                body(calls, base + "/snapshot.json"),
                body(calls, base + "/targets.json"));
    }

    private static byte[] body(HttpsCalls calls, String path) {
        HttpResponse<byte[]> response = get(calls, path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static String code(HttpResponse<byte[]> response) throws IOException {
        return JSON.readTree(response.body()).path("code").asText();
    }
}
