package io.tsunagu.server.update.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden payloads in the shapes of hawkBit's DDI documentation (and, for feedback and configData, exactly as SWUpdate's
 * suricatta writes them): each parses into the wire records and renders back to the same JSON tree.
 */
class DdiWireTypesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deploymentBaseOfTheDocumentationRoundTrips() throws IOException {
        JsonNode golden = fixture("deployment-base.json");

        DdiDeploymentBase base = JSON.treeToValue(golden, DdiDeploymentBase.class);

        assertThat(base.id()).isEqualTo("42");
        assertThat(base.deployment().download()).isEqualTo(DdiDeployment.Handling.FORCED);
        assertThat(base.deployment().update()).isEqualTo(DdiDeployment.Handling.ATTEMPT);
        assertThat(base.deployment().window()).contains(DdiDeployment.MaintenanceWindow.AVAILABLE);
        DdiChunk os = base.deployment().chunks().getFirst();
        assertThat(os.part()).isEqualTo("os");
        DdiArtifact artifact = os.artifacts().getFirst();
        assertThat(artifact.size()).isEqualTo(4096);
        assertThat(artifact.hashes().sha1()).isEqualTo("2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
        assertThat(artifact.links())
                .containsOnlyKeys(
                        DdiArtifact.DOWNLOAD, DdiArtifact.MD5SUM, DdiArtifact.DOWNLOAD_HTTP, DdiArtifact.MD5SUM_HTTP);
        assertThat(base.history().orElseThrow().status()).isEqualTo("RUNNING");
        assertThat(tree(base)).isEqualTo(golden);
    }

    @Test
    void deploymentWithoutMaintenanceWindowOrHistoryLeavesBothFieldsOut() {
        var base = new DdiDeploymentBase(
                "7",
                new DdiDeployment(DdiDeployment.Handling.FORCED, DdiDeployment.Handling.FORCED, List.of(), null),
                null);

        JsonNode json = tree(base);

        assertThat(json.fieldNames()).toIterable().containsExactly("id", "deployment");
        assertThat(json.get("deployment").has("maintenanceWindow")).isFalse();
        assertThat(json.get("deployment").get("chunks").isArray()).isTrue();
    }

    @Test
    void controllerBaseRoundTripsAndLeavesOutEmptyLinks() throws IOException {
        JsonNode golden = fixture("controller-base.json");

        DdiControllerBase base = JSON.treeToValue(golden, DdiControllerBase.class);

        assertThat(base.config().polling().duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(base.links())
                .containsOnlyKeys(
                        DdiControllerBase.DEPLOYMENT_BASE,
                        DdiControllerBase.INSTALLED_BASE,
                        DdiControllerBase.CONFIG_DATA);
        assertThat(tree(base)).isEqualTo(golden);
        JsonNode idle =
                JSON.valueToTree(new DdiControllerBase(new DdiConfig(DdiPolling.of(Duration.ofHours(1))), Map.of()));
        assertThat(idle.toString()).isEqualTo("{\"config\":{\"polling\":{\"sleep\":\"01:00:00\"}}}");
    }

    @Test
    void cancelRoundTripsWithTheActionAsStopId() throws IOException {
        JsonNode golden = fixture("cancel.json");

        assertThat(JSON.treeToValue(golden, DdiCancel.class)).isEqualTo(DdiCancel.of(42));
        assertThat(tree(DdiCancel.of(42))).isEqualTo(golden);
    }

    @Test
    void suricattaFeedbackParsesWithItsExtraIdAndCompactTime() throws IOException {
        DdiActionFeedback feedback = JSON.treeToValue(fixture("suricatta-feedback.json"), DdiActionFeedback.class);

        assertThat(feedback.deviceTime()).contains("20261201T101500");
        assertThat(feedback.status().execution()).isEqualTo(DdiStatus.Execution.PROCEEDING);
        assertThat(feedback.status().result().finished()).isEqualTo(DdiResult.Finished.NONE);
        assertThat(feedback.status().result().stepProgress()).contains(new DdiProgress(1, 2));
        assertThat(feedback.status().details()).containsExactly("Installing Update Chunk Artifacts.");
        assertThat(feedback.status().statusCode()).isEmpty();
    }

    @Test
    void everyExecutionAndFinishedValueOfTheDocumentationParses() throws IOException {
        for (String execution : List.of(
                "closed", "proceeding", "canceled", "scheduled", "rejected", "resumed", "downloaded", "download")) {
            for (String finished : List.of("success", "failure", "none")) {
                String body = "{\"status\":{\"execution\":\"" + execution + "\",\"result\":{\"finished\":\"" + finished
                        + "\"},\"code\":200}}";
                DdiActionFeedback feedback = JSON.readValue(body, DdiActionFeedback.class);
                assertThat(feedback.status().execution().code()).isEqualTo(execution);
                assertThat(feedback.status().result().finished().code()).isEqualTo(finished);
                assertThat(feedback.status().statusCode()).contains(200);
                assertThat(feedback.status().details()).isEmpty();
            }
        }
    }

    @Test
    void feedbackWithAnUnknownExecutionOrMissingFieldsIsRefused() {
        assertThatThrownBy(() -> JSON.readValue(
                        "{\"status\":{\"execution\":\"done\",\"result\":{\"finished\":\"none\"}}}",
                        DdiActionFeedback.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("done");
        assertThatThrownBy(() -> JSON.readValue("{\"time\":\"x\"}", DdiActionFeedback.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("'status' is required");
        assertThatThrownBy(() -> JSON.readValue("{\"status\":{\"execution\":\"closed\"}}", DdiActionFeedback.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("'result' is required");
        assertThatThrownBy(() -> JSON.readValue(
                        "{\"status\":{\"execution\":\"closed\",\"result\":{\"progress\":{\"cnt\":1}}}}",
                        DdiActionFeedback.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("'finished' is required");
    }

    @Test
    void suricattaConfigDataParsesAndDefaultsToMerge() throws IOException {
        DdiConfigData config = JSON.treeToValue(fixture("suricatta-config-data.json"), DdiConfigData.class);

        assertThat(config.data()).containsExactly(Map.entry("hwRevision", "2"), Map.entry("serial", "SN-0042"));
        assertThat(config.updateMode()).isEqualTo(DdiConfigData.Mode.MERGE);
        DdiConfigData replace = new DdiConfigData(Map.of("VIN", "WVWZZZ1JZXW000001"), DdiConfigData.Mode.REPLACE);
        assertThat(JSON.readValue(JSON.writeValueAsString(replace), DdiConfigData.class))
                .isEqualTo(replace);
        assertThat(JSON.writeValueAsString(replace)).contains("\"mode\":\"replace\"");
    }

    @Test
    void configDataWithoutAttributesIsRefused() {
        assertThatThrownBy(() -> JSON.readValue("{\"data\":{}}", DdiConfigData.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("at least one attribute");
        assertThatThrownBy(() -> JSON.readValue("{\"data\":{\"a\":\"b\"},\"mode\":\"append\"}", DdiConfigData.class))
                .isInstanceOf(JsonMappingException.class);
    }

    @Test
    void pollingSleepIsHoursMinutesSecondsWithinADay() {
        assertThat(DdiPolling.of(Duration.ofSeconds(45)).sleep()).isEqualTo("00:00:45");
        assertThat(DdiPolling.of(Duration.ofSeconds(3725)).sleep()).isEqualTo("01:02:05");
        assertThat(DdiPolling.of(DdiPolling.MAX_SLEEP).sleep()).isEqualTo("23:59:59");
        assertThat(new DdiPolling("12:00:00").duration()).isEqualTo(Duration.ofHours(12));
        assertThatThrownBy(() -> DdiPolling.of(Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DdiPolling.of(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DdiPolling("5 minutes")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Renders as the server does and parses back, so numbers compare by value as a client reads them. */
    private static JsonNode tree(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = DdiWireTypesTest.class.getResourceAsStream(name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return JSON.readTree(in);
        }
    }
}
