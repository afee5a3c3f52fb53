package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.EcuIdentity;
import io.tsunagu.protocol.update.FetchedMetadata;
import io.tsunagu.protocol.update.Hashes;
import io.tsunagu.protocol.update.RepositoryTrust;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.TrustedState;
import io.tsunagu.protocol.update.UpdateVerifier;
import io.tsunagu.protocol.update.VerifiedTarget;
import io.tsunagu.protocol.update.VerifiedUpdate;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.InMemoryArtifacts;
import io.tsunagu.server.update.uptane.ImageArtifact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Uptane repositories over the real server and HTTP, checked by the car's own verifier: what the server serves
 * for a car is what {@link UpdateVerifier} accepts. Images are released through the Java API or, for campaigns, from an
 * in-memory artifact lookup; {@code UptaneHttpsTest} covers uploaded artifacts and car certificates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptaneRepositoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BMS = "bms-hw-2";
    private static final List<EcuIdentity> ECUS =
            List.of(EcuIdentity.of("TCU-0001", "tcu-hw-1"), EcuIdentity.of("BMS-0001", BMS));

    private static int nextSerial = 1;

    final InMemoryArtifacts artifacts = new InMemoryArtifacts();
    TestServer server;
    Vin vin;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.start(dir, c -> c, Clock.systemUTC(), artifacts);
    }

    @BeforeEach
    void newCar() {
        vin = TestVins.northAmerican("1TSUPTAN", nextSerial++);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A car as provisioning leaves it: the two roots from the registration response, nothing installed. */
    private TrustedState register(Vin car, String owner) {
        return register(car, owner, "Test EV");
    }

    private TrustedState register(Vin car, String owner, String model) {
        ApiCalls.Response created = server.adminApi()
                .post(
                        "/api/v1/vehicles",
                        "{\"vin\": \"" + car.value() + "\", \"model\": \"" + model + "\", \"owner\": \"" + owner
                                + "\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode uptane = created.body().path("uptane");
        ApiCalls.Response ecus = server.adminApi()
                .request(
                        "PUT",
                        "/api/v1/vehicles/" + car.value() + "/ecus",
                        "{\"ecus\": [{\"serial\": \"TCU-0001\", \"hardwareId\": \"tcu-hw-1\", \"primary\": true},"
                                + " {\"serial\": \"BMS-0001\", \"hardwareId\": \"" + BMS + "\"}]}");
        assertThat(ecus.status()).isEqualTo(200);
        assertThat(ecus.body().path("ecus")).hasSize(2);
        return new TrustedState(
                RepositoryTrust.initial(bytes(uptane.path("directorRoot"))),
                RepositoryTrust.initial(bytes(uptane.path("imageRoot"))),
                Map.of());
    }

    private ImageArtifact releaseBmsImage(String version) {
        // A stand-in digest, distinct per version; the bytes are never downloaded here.
        String sha256 = Hashes.sha256Hex(("bms image " + version).getBytes(StandardCharsets.UTF_8));
        ImageArtifact image = new ImageArtifact(sha256, 4096, "bms.bin", version, List.of(BMS));
        server.server().uptane().image().add(image, OptionalLong.empty());
        return image;
    }

    private ApiCalls.Response assign(Vin car, String sha256, String hardwareId) {
        return server.adminApi()
                .request(
                        "PUT",
                        "/api/v1/uptane/director/" + car.value() + "/targets",
                        "{\"images\": [{\"sha256\": \"" + sha256 + "\", \"hardwareId\": \"" + hardwareId + "\"}]}");
    }

    /** What the car downloads in one cycle: new roots (N.root.json until 404), then timestamp, snapshot, targets. */
    private static FetchedMetadata fetch(ApiCalls api, String base, long trustedRootVersion) {
        List<byte[]> roots = new ArrayList<>();
        for (long v = trustedRootVersion + 1; ; v++) {
            ApiCalls.Response root = api.get(base + "/" + v + ".root.json");
            if (root.status() == 404) {
                assertThat(root.code()).isEqualTo("metadata_not_found");
                break;
            }
            assertThat(root.status()).isEqualTo(200);
            roots.add(root.text().getBytes(StandardCharsets.UTF_8));
        }
        return new FetchedMetadata(
                roots, file(api, base, "timestamp"), file(api, base, "snapshot"), file(api, base, "targets"));
    }

    private static byte[] file(ApiCalls api, String base, String role) {
        ApiCalls.Response response = api.get(base + "/" + role + ".json");
        assertThat(response.status()).as(base + "/" + role + ".json").isEqualTo(200);
        return response.text().getBytes(StandardCharsets.UTF_8);
    }

    private VerifiedUpdate verify(Vin car, TrustedState trusted, boolean withImage) {
        ApiCalls api = server.adminApi();
        FetchedMetadata director = fetch(
                api,
                "/api/v1/uptane/director/" + car.value(),
                trusted.director().rootVersion());
        Optional<FetchedMetadata> image = withImage
                ? Optional.of(fetch(api, "/api/v1/uptane/image", trusted.image().rootVersion()))
                : Optional.empty();
        return new UpdateVerifier(ECUS, Clock.systemUTC()).verify(trusted, director, image);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCarsVerifierAcceptsWhatTheServerServesForACarWithAnAction() {
        TrustedState trusted = register(vin, "alice");
        ImageArtifact image = releaseBmsImage("2.4.1");

        ApiCalls.Response assigned = assign(vin, image.sha256(), BMS);
        VerifiedUpdate update = verify(vin, trusted, true);

        assertThat(assigned.status()).isEqualTo(200);
        assertThat(update.targets())
                .containsExactly(new VerifiedTarget(
                        "BMS-0001", BMS, image.targetName(), 4096, image.sha256(), 2_000_004_000_001L, false));
        // The car had no director metadata before the action, so its first targets are the action's.
        assertThat(update.newState().director().targetsVersion()).isEqualTo(1);
    }

    @Test
    void anOfferedRolloutActionBecomesDirectorTargetsAndACancelEmptiesThem() {
        TrustedState trusted = register(vin, "alice", "Uptane EV");
        String sha256 = artifacts.add("bms.bin", "bms image 5.1.0 for the campaign", BMS);
        ApiCalls.Response distribution = server.adminApi().post("/api/v1/distributions", """
                {"name": "uptane-ev", "version": "5.1.0", "model": "Uptane EV", "modules": [{"hardwareId": "%s",
                 "name": "bms", "type": "firmware", "version": "5.1.0", "artifacts": [{"sha256": "%s"}]}]}""".formatted(BMS, sha256));
        ApiCalls.Response campaign = server.adminApi().post("/api/v1/campaigns", """
                {"name": "uptane", "distributionId": %d, "groups": [{"percent": 100}]}""".formatted(
                        distribution.body().path("id").asLong()));
        long campaignId = campaign.body().path("id").asLong();

        assertThat(server.adminApi()
                        .post("/api/v1/campaigns/" + campaignId + "/start", "")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !verify(vin, trusted, true).targets().isEmpty());
        VerifiedUpdate update = verify(vin, trusted, true);
        server.adminApi().post("/api/v1/campaigns/" + campaignId + "/cancel", "");
        VerifiedUpdate cancelled = verify(vin, update.newState(), true);

        assertThat(update.targets())
                .containsExactly(new VerifiedTarget(
                        "BMS-0001",
                        BMS,
                        sha256 + "/bms.bin",
                        "bms image 5.1.0 for the campaign".length(),
                        sha256,
                        5_000_001_000_000L,
                        false));
        assertThat(cancelled.targets()).isEmpty();
        assertThat(cancelled.newState().director().targetsVersion())
                .isGreaterThan(update.newState().director().targetsVersion());
    }

    @Test
    void aCarWithoutAnActionGetsSignedFreshTargetsThatListNothing() {
        TrustedState trusted = register(vin, "alice");

        VerifiedUpdate update = verify(vin, trusted, false);

        assertThat(update.targets()).isEmpty();
        assertThat(update.newState().director().timestampVersion()).isEqualTo(1);
    }

    @Test
    void anImageForHardwareTheCarLacksIsRefusedWithTheCarsEcus() {
        register(vin, "alice");
        ImageArtifact image = releaseBmsImage("1.0.0");

        ApiCalls.Response refused = assign(vin, image.sha256(), "inverter-hw-9");
        ApiCalls.Response unknownImage = assign(vin, "0".repeat(64), BMS);

        assertThat(unknownImage.status()).isEqualTo(404);
        assertThat(unknownImage.code()).isEqualTo("image_not_found");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("ecu_mismatch");
        assertThat(refused.body().path("message").asText()).contains("not for hardware id inverter-hw-9");
    }

    @Test
    void rotatedRootsAreServedAndAcceptedFromTheProvisionedRoot() {
        TrustedState trusted = register(vin, "alice");
        ImageArtifact image = releaseBmsImage("3.0");
        assign(vin, image.sha256(), BMS);

        ApiCalls.Response image2 = server.adminApi().post("/api/v1/uptane/image/root/rotate", "");
        ApiCalls.Response director2 = server.adminApi().post("/api/v1/uptane/director/root/rotate", "");
        ApiCalls.Response director3 = server.adminApi().post("/api/v1/uptane/director/root/rotate", "");
        VerifiedUpdate update = verify(vin, trusted, true);

        assertThat(List.of(image2.status(), director2.status(), director3.status()))
                .containsOnly(201);
        assertThat(SignedMetadata.parse(director3.text().getBytes(StandardCharsets.UTF_8))
                        .version())
                .isEqualTo(3);
        assertThat(update.newState().director().rootVersion()).isEqualTo(3);
        assertThat(update.newState().image().rootVersion()).isEqualTo(2);
        assertThat(update.targets()).extracting(VerifiedTarget::targetName).containsExactly(image.targetName());
    }

    @Test
    void onlyAnAdminRotatesARoot() {
        String operator = server.server().users().create("olga", Role.OPERATOR).token();

        ApiCalls.Response refused = server.api(operator).post("/api/v1/uptane/director/root/rotate", "");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(server.adminApi()
                        .get("/api/v1/uptane/director/" + vin.value() + "/2.root.json")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void restartKeepsKeysRootsAndVersions() {
        TrustedState trusted = register(vin, "alice");
        ImageArtifact image = releaseBmsImage("1.2.3");
        assign(vin, image.sha256(), BMS);
        VerifiedUpdate before = verify(vin, trusted, true);

        server.restart();
        ImageArtifact next = releaseBmsImage("1.2.4");
        assign(vin, next.sha256(), BMS);
        VerifiedUpdate after = verify(vin, before.newState(), true);

        assertThat(after.newState().director().root())
                .isEqualTo(before.newState().director().root());
        assertThat(after.newState().image().root())
                .isEqualTo(before.newState().image().root());
        assertThat(after.newState().director().targetsVersion())
                .isEqualTo(before.newState().director().targetsVersion() + 1);
        assertThat(after.newState().image().targetsVersion())
                .isEqualTo(before.newState().image().targetsVersion() + 1);
        assertThat(after.targets()).extracting(VerifiedTarget::targetName).containsExactly(next.targetName());
    }

    @Test
    void anOwnerCannotReadAnotherOwnersCarsDirectorMetadata() {
        register(vin, "alice");
        Vin other = TestVins.northAmerican("1TSUPTAN", nextSerial++);
        register(other, "bob");
        String alice = server.server().users().create("alice", Role.OWNER).token();

        ApiCalls.Response own = server.api(alice).get("/api/v1/uptane/director/" + vin.value() + "/targets.json");
        ApiCalls.Response foreign = server.api(alice).get("/api/v1/uptane/director/" + other.value() + "/targets.json");
        ApiCalls.Response foreignRoot =
                server.api(alice).get("/api/v1/uptane/director/" + other.value() + "/1.root.json");
        ApiCalls.Response anonymous = server.api("").get("/api/v1/uptane/image/timestamp.json");

        assertThat(own.status()).isEqualTo(200);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.text()).doesNotContain("signatures");
        assertThat(foreignRoot.status()).isEqualTo(404);
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void theEcuInventoryRefusesTwoPrimariesRepeatedSerialsAndOwnerWrites() {
        register(vin, "alice");
        String ecus = "/api/v1/vehicles/" + vin.value() + "/ecus";
        String carol = server.server().users().create("carol", Role.OWNER).token();

        ApiCalls.Response twoPrimaries = server.adminApi().request("PUT", ecus, """
                {"ecus": [{"serial": "A", "hardwareId": "h", "primary": true},
                          {"serial": "B", "hardwareId": "h", "primary": true}]}""");
        ApiCalls.Response repeated = server.adminApi().request("PUT", ecus, """
                {"ecus": [{"serial": "A", "hardwareId": "h"}, {"serial": "A", "hardwareId": "g"}]}""");
        ApiCalls.Response badSerial =
                server.adminApi().post(ecus, "{\"serial\": \"has space\", \"hardwareId\": \"h\"}");
        ApiCalls.Response secondPrimary =
                server.adminApi().post(ecus, "{\"serial\": \"GW-1\", \"hardwareId\": \"gw\", \"primary\": true}");
        ApiCalls.Response added = server.adminApi().post(ecus, "{\"serial\": \"GW-1\", \"hardwareId\": \"gw\"}");
        ApiCalls.Response ownerWrite = server.api(carol).post(ecus, "{\"serial\": \"X\", \"hardwareId\": \"x\"}");

        assertThat(List.of(twoPrimaries.code(), repeated.code(), badSerial.code()))
                .containsOnly("invalid_ecus");
        assertThat(twoPrimaries.status()).isEqualTo(400);
        assertThat(secondPrimary.status()).isEqualTo(409);
        assertThat(secondPrimary.code()).isEqualTo("primary_exists");
        assertThat(added.body().path("ecus").findValuesAsText("serial"))
                .containsExactly("TCU-0001", "BMS-0001", "GW-1");
        assertThat(ownerWrite.status()).isEqualTo(404); // carol does not own the car: it reads as not found
    }

    @Test
    void aCarWithNoKnownEcusGetsNoImagesAndTheReasonSaysSo() {
        server.adminApi().post("/api/v1/vehicles", """
                {"vin": "%s", "model": "Test EV", "owner": "alice"}""".formatted(vin.value()));
        ImageArtifact image = releaseBmsImage("6.0.0");

        ApiCalls.Response refused = assign(vin, image.sha256(), BMS);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("no_ecus");
        assertThat(server.adminApi()
                        .get("/api/v1/uptane/director/" + vin.value() + "/targets.json")
                        .body()
                        .at("/signed/targets")
                        .isEmpty())
                .isTrue();
    }

    @Test
    void aRolloutActionForEcusTheCarLacksFailsWithTheDirectorsReason() {
        register(vin, "alice", "Mismatch EV");
        String sha256 = artifacts.add("inverter.bin", "inverter image 1.0.0", "inverter-hw-9");
        ApiCalls.Response distribution = server.adminApi().post("/api/v1/distributions", """
                {"name": "mismatch-ev", "version": "1.0.0", "model": "Mismatch EV", "modules": [{"hardwareId":
                 "inverter-hw-9", "name": "inv", "type": "firmware", "version": "1.0.0",
                 "artifacts": [{"sha256": "%s"}]}]}""".formatted(sha256));
        long campaignId = server.adminApi()
                .post("/api/v1/campaigns", """
                        {"name": "mismatch", "distributionId": %d, "groups": [{"percent": 100}]}""".formatted(
                                distribution.body().path("id").asLong()))
                .body()
                .path("id")
                .asLong();

        server.adminApi().post("/api/v1/campaigns/" + campaignId + "/start", "");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> server.server()
                                .rollouts()
                                .vehicleActions(vin, 1)
                                .getFirst()
                                .state()
                        == ActionState.FAILURE);
        long actionId =
                server.server().rollouts().vehicleActions(vin, 1).getFirst().id();
        assertThat(server.server()
                        .rollouts()
                        .actionHistory(actionId, 10)
                        .getLast()
                        .messages())
                .singleElement(InstanceOfAssertFactories.STRING)
                .startsWith("refused by the Uptane director: ecu_mismatch: vehicle " + vin + " has no ECU");
    }
}
