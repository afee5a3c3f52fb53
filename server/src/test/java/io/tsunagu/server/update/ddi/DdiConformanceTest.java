package io.tsunagu.server.update.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.ActionType;
import io.tsunagu.server.update.rollout.Campaign;
import io.tsunagu.server.update.rollout.DeviceAction;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DDI v1 device flows over real HTTPS with the JDK HttpClient, checked against the JSON shapes and status codes
 * of hawkBit's DDI documentation: poll, deployment base, ranged download, feedback to success, installed base; cancel;
 * configData.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdiConformanceTest {
    DdiFixture fixture;

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new DdiFixture(dir, Duration.ofSeconds(90));
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void carPollsDownloadsWithRangesReportsSuccessAndThenSeesItsInstalledBase() throws Exception {
        DdiFixture.Car car = fixture.newCar();
        byte[] image = DdiFixture.randomBytes(300_000, 42);
        String sha256 = fixture.storeArtifact("rootfs-a.swu", image);
        fixture.rollOut(car.vin(), sha256, ActionType.FORCED);
        long actionId = fixture.awaitOffered(car.vin()).id();
        DdiHttp http = fixture.overHttps(car);
        String base = fixture.base(car.vin());

        DdiHttp.Answer poll = http.get(base);
        assertThat(poll.status()).isEqualTo(200);
        assertThat(poll.header("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode links = poll.json().path("_links");
        assertThat(poll.json().path("config").path("polling").path("sleep").asText())
                .isEqualTo("00:01:30");
        assertThat(links.path("deploymentBase").path("href").asText())
                .startsWith(http.origin() + base + "/deploymentBase/" + actionId + "?c=");
        assertThat(links.path("configData").path("href").asText()).isEqualTo(http.origin() + base + "/configData");
        assertThat(links.has("cancelAction")).isFalse();
        assertThat(links.has("installedBase")).isFalse();

        DdiHttp.Answer deployment =
                http.follow(links.path("deploymentBase").path("href").asText());
        assertThat(deployment.status()).isEqualTo(200);
        JsonNode body = deployment.json();
        assertThat(body.path("id").isTextual())
                .as("hawkBit sends the id as a string")
                .isTrue();
        assertThat(body.path("id").asText()).isEqualTo(Long.toString(actionId));
        assertThat(body.path("deployment").path("download").asText()).isEqualTo("forced");
        assertThat(body.path("deployment").path("update").asText()).isEqualTo("forced");
        assertThat(body.path("deployment").has("maintenanceWindow")).isFalse();
        assertThat(body.has("actionHistory")).isFalse();
        JsonNode chunk = body.path("deployment").path("chunks").path(0);
        assertThat(chunk.path("part").asText()).isEqualTo("os");
        assertThat(chunk.path("name").asText()).isEqualTo("infotainment rootfs");
        assertThat(chunk.path("version").asText()).startsWith("2.0.");
        JsonNode artifact = chunk.path("artifacts").path(0);
        assertThat(artifact.path("filename").asText()).isEqualTo("rootfs-a.swu");
        assertThat(artifact.path("size").asLong()).isEqualTo(image.length);
        assertThat(artifact.path("hashes").path("sha256").asText()).isEqualTo(sha256);
        assertThat(artifact.path("hashes").path("sha1").asText()).isEqualTo(hex("SHA-1", image));
        assertThat(artifact.path("hashes").path("md5").asText()).isEqualTo(hex("MD5", image));
        assertThat(artifact.path("_links").has("download-http"))
                .as("asked over HTTPS")
                .isFalse();
        String download = artifact.path("_links").path("download").path("href").asText();
        assertThat(download)
                .startsWith(http.origin() + base + "/softwaremodules/")
                .endsWith("/artifacts/rootfs-a.swu");

        DdiHttp.Answer first = http.follow(download, "Range", "bytes=0-99999");
        DdiHttp.Answer rest = http.follow(download, "Range", "bytes=100000-");
        assertThat(first.status()).isEqualTo(206);
        assertThat(rest.status()).isEqualTo(206);
        assertThat(rest.header("Content-Range")).hasValue("bytes 100000-299999/300000");
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(first.bytes());
        joined.write(rest.bytes());
        assertThat(joined.toByteArray()).isEqualTo(image);
        DdiHttp.Answer md5sum =
                http.follow(artifact.path("_links").path("md5sum").path("href").asText());
        assertThat(md5sum.status()).isEqualTo(200);
        assertThat(md5sum.text()).isEqualTo(hex("MD5", image) + "  rootfs-a.swu\n");

        String feedback = base + "/deploymentBase/" + actionId + "/feedback";
        assertThat(http.post(feedback, feedback("proceeding", "none", "Installing Update Chunk Artifacts."))
                        .status())
                .isEqualTo(200);
        assertThat(state(car, actionId)).isEqualTo(ActionState.DOWNLOADING);
        assertThat(http.post(feedback, feedback("closed", "success", "Update Installed."))
                        .status())
                .isEqualTo(200);
        assertThat(state(car, actionId)).isEqualTo(ActionState.SUCCESS);

        JsonNode after = http.get(base).json().path("_links");
        assertThat(after.has("deploymentBase")).isFalse();
        assertThat(after.path("installedBase").path("href").asText())
                .isEqualTo(http.origin() + base + "/installedBase/" + actionId);
        DdiHttp.Answer installed =
                http.follow(after.path("installedBase").path("href").asText() + "?actionHistory=5");
        assertThat(installed.status()).isEqualTo(200);
        assertThat(installed.json().path("id").asText()).isEqualTo(Long.toString(actionId));
        assertThat(installed.json().path("actionHistory").path("status").asText())
                .isEqualTo("FINISHED");
        assertThat(installed
                        .json()
                        .path("actionHistory")
                        .path("messages")
                        .path(0)
                        .asText())
                .as("newest first")
                .isEqualTo("Update Installed.");
        assertThat(http.post(feedback, feedback("closed", "success", "again")).status())
                .as("hawkBit: feedback on an action that is no longer active is 410 Gone")
                .isEqualTo(410);
        assertThat(http.get(base + "/installedBase/" + (actionId + 999)).status())
                .isEqualTo(404);
    }

    @Test
    void cancelledActionIsLinkedAsCancelActionAndTheCarConfirmsIt() {
        DdiFixture.Car car = fixture.newCar();
        String sha256 = fixture.storeArtifact("rootfs-c.swu", DdiFixture.randomBytes(4096, 7));
        Campaign campaign = fixture.rollOut(car.vin(), sha256, ActionType.SOFT);
        long actionId = fixture.awaitOffered(car.vin()).id();
        DdiHttp http = fixture.overHttps(car);
        String base = fixture.base(car.vin());
        JsonNode soft = http.get(base + "/deploymentBase/" + actionId).json().path("deployment");
        assertThat(soft.path("download").asText()).isEqualTo("attempt");
        assertThat(soft.path("update").asText()).isEqualTo("attempt");

        fixture.rollouts().cancelCampaign(campaign.id(), "test");

        JsonNode links = http.get(base).json().path("_links");
        assertThat(links.has("deploymentBase")).isFalse();
        String cancelHref = links.path("cancelAction").path("href").asText();
        assertThat(cancelHref).isEqualTo(http.origin() + base + "/cancelAction/" + actionId);
        DdiHttp.Answer cancel = http.follow(cancelHref);
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("id").asText()).isEqualTo(Long.toString(actionId));
        assertThat(cancel.json().path("cancelAction").path("stopId").asText()).isEqualTo(Long.toString(actionId));
        assertThat(http.get(base + "/deploymentBase/" + actionId).status())
                .as("hawkBit serves no deployment base for an action being cancelled")
                .isEqualTo(404);

        // suricatta confirms with closed + success at <cancelAction href>/feedback
        assertThat(http.post(cancelHref + "/feedback", feedback("closed", "success", "cancellation acknowledged."))
                        .status())
                .isEqualTo(200);
        assertThat(state(car, actionId)).isEqualTo(ActionState.CANCELLED);
        JsonNode idle = http.get(base).json().path("_links");
        assertThat(idle.has("cancelAction")).isFalse();
        assertThat(idle.has("deploymentBase")).isFalse();
        assertThat(http.get(base + "/cancelAction/" + (actionId + 999)).status())
                .isEqualTo(404);
    }

    @Test
    void configDataIsStoredAndNoLongerRequestedOnceReported() {
        DdiFixture.Car car = fixture.newCar();
        DdiHttp http = fixture.overHttps(car);
        String base = fixture.base(car.vin());
        assertThat(http.get(base).json().path("_links").has("configData")).isTrue();

        DdiHttp.Answer put = http.put(
                base + "/configData",
                "{\"id\":\"\",\"time\":\"20261201T101500\",\"status\":{\"result\":{\"finished\":\"success\"},"
                        + "\"execution\":\"closed\",\"details\":[\"\"]},\"data\":{\"hwRevision\":\"2\",\"serial\":\"SN-9\"}}");

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.bytes()).isEmpty();
        assertThat(http.get(base).json().path("_links").has("configData")).isFalse();
        assertThat(http.put(base + "/configData", "{\"mode\":\"merge\",\"data\":{}}")
                        .status())
                .isEqualTo(400);
        assertThat(http.put(base + "/configData", "{\"data\":{\"a\":\"b\"},\"mode\":\"append\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void badFeedbackIsRefusedWith400AndCountedAndUnknownActionsAre404() {
        DdiFixture.Car car = fixture.newCar();
        String sha256 = fixture.storeArtifact("rootfs-b.swu", DdiFixture.randomBytes(2048, 9));
        fixture.rollOut(car.vin(), sha256, ActionType.FORCED);
        DeviceAction action = fixture.awaitOffered(car.vin());
        DdiHttp http = fixture.overHttps(car);
        String feedback = fixture.base(car.vin()) + "/deploymentBase/" + action.id() + "/feedback";
        double before = rejected("invalid_body");

        DdiHttp.Answer notJson = http.post(feedback, "{\"status\":");
        DdiHttp.Answer unknownExecution = http.post(feedback, feedback("finished", "success", "x"));
        DdiHttp.Answer closedWithoutResult = http.post(feedback, feedback("closed", "none", "x"));

        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("code").asText()).isEqualTo("invalid_body");
        assertThat(unknownExecution.status()).isEqualTo(400);
        assertThat(unknownExecution.json().path("message").asText()).contains("finished");
        assertThat(closedWithoutResult.status()).isEqualTo(400);
        assertThat(closedWithoutResult.json().path("code").asText()).isEqualTo("invalid_feedback");
        assertThat(rejected("invalid_body")).isEqualTo(before + 2);
        assertThat(state(car, action.id())).isEqualTo(ActionState.OFFERED);
        String base = fixture.base(car.vin());
        assertThat(http.get(base + "/deploymentBase/999999").status()).isEqualTo(404);
        assertThat(http.get(base + "/deploymentBase/not-a-number").status()).isEqualTo(404);
        assertThat(http.post(base + "/deploymentBase/999999/feedback", feedback("proceeding", "none", "x"))
                        .status())
                .isEqualTo(404);
        assertThat(http.get(base + "/softwaremodules/1/artifacts/rootfs-b.swu").status())
                .isEqualTo(404);
    }

    static String feedback(String execution, String finished, String detail) {
        return "{\"id\":1,\"time\":\"20261201T101500\",\"status\":{\"result\":{\"progress\":{\"cnt\":0,\"of\":1},"
                + "\"finished\":\"" + finished + "\"},\"execution\":\"" + execution + "\",\"details\":[\"" + detail
                + "\"]}}";
    }

    private ActionState state(DdiFixture.Car car, long actionId) {
        return fixture.rollouts()
                .action(car.vin(), actionId)
                .orElseThrow()
                .action()
                .state();
    }

    private double rejected(String reason) {
        String metrics = fixture.server.api("").get("/metrics").text();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("tsunagu_ddi_rejected_total{reason=\"" + reason + "\"}")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    static String hex(String algorithm, byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    }

    static void awaitState(DdiFixture fixture, DdiFixture.Car car, long actionId, ActionState state) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.rollouts()
                                .action(car.vin(), actionId)
                                .orElseThrow()
                                .action()
                                .state()
                        == state);
    }
}
