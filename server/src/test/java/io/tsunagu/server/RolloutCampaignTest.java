package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestCar;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.DeviceActions;
import io.tsunagu.server.update.rollout.Feedback;
import io.tsunagu.server.update.rollout.Feedback.Execution;
import io.tsunagu.server.update.rollout.Feedback.Finished;
import io.tsunagu.server.update.rollout.InMemoryArtifacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollout campaigns over the real server: REST for operators, the Java device API for car reports (the DDI API will
 * sit on it), and the MQTT notification over real mutual TLS. One server; each test makes its own distribution and
 * cars of their own model, so campaigns do not see each other's cars.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutCampaignTest {
    static final ObjectMapper JSON = new ObjectMapper();

    TestServer server;
    InMemoryArtifacts artifacts = new InMemoryArtifacts();
    ApiCalls admin;
    ApiCalls operator;
    ApiCalls alice;
    DeviceActions devices;
    int serial;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.start(dir, c -> c, Clock.systemUTC(), artifacts);
        admin = server.adminApi();
        operator =
                server.api(server.server().users().create("ops", Role.OPERATOR).token());
        alice = server.api(server.server().users().create("alice", Role.OWNER).token());
        devices = server.server().rollouts();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void failuresInGroupTwoHaltTheCampaignAtItsErrorThreshold() {
        List<Vin> cars = cars("Wave EV", 100);
        long distribution = distribution("Wave EV", "2.0.0");
        JsonNode campaign = created(operator.post("/api/v1/campaigns", """
                {"name": "wave", "distributionId": %d,
                 "groups": [{"percent": 10}, {"percent": 30}, {"percent": 60}],
                 "successThresholdPct": 90, "errorThresholdPct": 20}""".formatted(distribution)));
        long id = campaign.path("id").asLong();
        assertThat(campaign.path("groups").findValuesAsText("targetCount")).containsExactly("10", "30", "60");

        assertThat(operator.post("/api/v1/campaigns/" + id + "/start", "").status())
                .isEqualTo(200);
        for (Vin vin : cars.subList(0, 9)) {
            report(vin, Execution.CLOSED, Finished.SUCCESS);
        }
        JsonNode progress = operator.get("/api/v1/campaigns/" + id).body();
        assertThat(progress.at("/groups/1/state").asText())
                .as("90 %% of group 1 succeeded")
                .isEqualTo("running");
        assertThat(progress.at("/groups/1/actions/offered").asInt()).isEqualTo(30);
        report(cars.get(9), Execution.CLOSED, Finished.SUCCESS);

        for (Vin vin : cars.subList(10, 16)) {
            report(vin, Execution.CLOSED, Finished.FAILURE);
        }
        assertThat(state(id)).as("6 of 30 = 20 %%: at the threshold, not above").isEqualTo("running");
        report(cars.get(16), Execution.CLOSED, Finished.FAILURE);

        JsonNode halted = operator.get("/api/v1/campaigns/" + id).body();
        assertThat(halted.path("state").asText()).isEqualTo("halted");
        assertThat(halted.path("reason").asText()).contains("group 2", "7 of 30");
        assertThat(halted.at("/groups/0/state").asText()).isEqualTo("finished");
        assertThat(halted.at("/groups/1/state").asText()).isEqualTo("halted");
        assertThat(halted.at("/groups/1/actions/failure").asInt()).isEqualTo(7);
        assertThat(halted.at("/groups/2/actions/scheduled").asInt())
                .as("group 3 never started")
                .isEqualTo(60);
        JsonNode groupTwo =
                operator.get("/api/v1/campaigns/" + id + "/actions?group=2").body();
        assertThat(groupTwo.path("count").asInt()).isEqualTo(30);
        assertThat(groupTwo.path("items").findValuesAsText("state")).containsOnly("failure", "offered");
    }

    @Test
    void pauseResumeAndCancelOverTheApi() {
        List<Vin> cars = cars("Pause EV", 4);
        long distribution = distribution("Pause EV", "1.0.0");
        long id = created(operator.post("/api/v1/campaigns", """
                {"name": "p", "distributionId": %d, "groups": [{"count": 2}, {"count": 2}]}""".formatted(distribution)))
                .path("id")
                .asLong();
        String base = "/api/v1/campaigns/" + id;

        assertThat(operator.post(base + "/pause", "").code()).isEqualTo("invalid_campaign_state");
        assertThat(operator.post(base + "/start", "").body().path("state").asText())
                .isEqualTo("running");
        assertThat(operator.post(base + "/pause", "").body().path("state").asText())
                .isEqualTo("paused");
        report(cars.get(0), Execution.CLOSED, Finished.SUCCESS);
        report(cars.get(1), Execution.CLOSED, Finished.SUCCESS);
        assertThat(operator.get(base).body().at("/groups/1/state").asText()).isEqualTo("scheduled");

        assertThat(operator.post(base + "/resume", "")
                        .body()
                        .at("/groups/1/state")
                        .asText())
                .isEqualTo("running");
        JsonNode cancelled = operator.post(base + "/cancel", "").body();
        assertThat(cancelled.path("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.at("/groups/1/actions/canceling").asInt()).isEqualTo(2);
        assertThat(operator.post(base + "/cancel", "").status()).isEqualTo(409);
        long actionId = devices.openAction(cars.get(2)).orElseThrow().id();
        devices.cancelFeedback(cars.get(2), actionId, Feedback.of(Execution.CANCELED, Finished.NONE));
        JsonNode updates = admin.get("/api/v1/vehicles/" + cars.get(2).value() + "/updates")
                .body();
        assertThat(updates.at("/items/0/state").asText()).isEqualTo("cancelled");
    }

    @Test
    void badCampaignsGetClear400s() {
        cars("Bad EV", 2);
        long distribution = distribution("Bad EV", "1.0.0");

        assertThat(operator.post("/api/v1/campaigns", """
                {"name": "x", "distributionId": 99999, "groups": [{"percent": 100}]}""").code()).isEqualTo("unknown_distribution");
        assertThat(operator.post("/api/v1/campaigns", """
                {"name": "x", "distributionId": %d, "target": {"tags": ["nobody"]}, "groups": [{"percent": 100}]}""".formatted(distribution))
                        .code())
                .isEqualTo("empty_target");
        assertThat(operator.post("/api/v1/campaigns", """
                {"name": "x", "distributionId": %d, "groups": [{"percent": 100}], "errorThresholdPct": 101}""".formatted(distribution))
                        .code())
                .isEqualTo("invalid_threshold");
        assertThat(operator.post("/api/v1/campaigns", """
                {"name": "x", "distributionId": %d, "groups": [{"percent": 100}], "successThresholdPct": 0}""".formatted(distribution))
                        .code())
                .isEqualTo("invalid_threshold");
        assertThat(operator.post("/api/v1/campaigns", """
                {"name": "x", "distributionId": %d, "groups": [{"percent": 100}],
                 "maintenanceWindow": {"schedule": "every night", "duration": "PT1H"}}""".formatted(distribution))
                        .code())
                .isEqualTo("invalid_window");
        ApiCalls.Response noGroups = operator.post("/api/v1/campaigns", "{\"name\": \"x\", \"distributionId\": 1}");
        assertThat(noGroups.status()).isEqualTo(400);
        assertThat(noGroups.body().path("message").asText()).contains("groups");
        assertThat(operator.post("/api/v1/distributions", """
                {"name": "d", "version": "1", "model": "Bad EV", "modules": [{"hardwareId": "ecu-main", "name": "m",
                 "type": "firmware", "version": "1", "artifacts": [{"sha256": "%s"}]}]}""".formatted("0".repeat(64)))
                        .code())
                .isEqualTo("unknown_artifact");
    }

    @Test
    void ownersReadOnlyTheirOwnCarsActionsAndNoCampaigns() {
        List<Vin> cars = cars("Owner EV", 2);
        Vin own = TestVins.northAmerican("1TSUALCE", ++serial);
        server.server().registry().register(own, "Owner EV", "alice", Set.of());
        long distribution = distribution("Owner EV", "1.0.0");
        long id = created(operator.post("/api/v1/campaigns", """
                {"name": "o", "distributionId": %d, "groups": [{"percent": 100}]}""".formatted(distribution)))
                .path("id")
                .asLong();

        assertThat(alice.get("/api/v1/vehicles/" + own.value() + "/updates")
                        .body()
                        .at("/items/0/campaignId")
                        .asLong())
                .isEqualTo(id);
        assertThat(alice.get("/api/v1/vehicles/" + cars.get(0).value() + "/updates")
                        .status())
                .isEqualTo(404);
        assertThat(alice.get("/api/v1/campaigns").status()).isEqualTo(403);
        assertThat(alice.post("/api/v1/campaigns/" + id + "/start", "").status())
                .isEqualTo(403);
        assertThat(alice.get("/api/v1/distributions").status()).isEqualTo(403);
        assertThat(server.api("").get("/api/v1/campaigns").status()).isEqualTo(401);
        assertThat(operator.get("/api/v1/campaigns/not-a-number").status()).isEqualTo(404);
    }

    @Test
    void aCarSubscribedOverMutualTlsIsToldOfItsNewActionAtOnce() throws InterruptedException {
        Vin vin = TestVins.northAmerican("1TSUNTFY", 1);
        IssuedCredentials credentials = server.server()
                .provisioning()
                .register(vin, "Notify EV", "bob", Set.of())
                .credentials();
        long distribution = distribution("Notify EV", "1.0.0");
        try (TestCar car = TestCar.connect(vin, credentials, server.mqttPort());
                var inbox = car.client().publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            assertThat(car.subscribe(Topics.updates(vin)).getFirst().isError()).isFalse();
            assertThat(car.subscribe(Topics.updates(TestVins.northAmerican("1TSUNTFY", 2)))
                            .getFirst()
                            .isError())
                    .as("another car's update topic")
                    .isTrue();
            long id = created(operator.post("/api/v1/campaigns", """
                    {"name": "n", "distributionId": %d, "groups": [{"percent": 100}]}""".formatted(distribution)))
                    .path("id")
                    .asLong();
            operator.post("/api/v1/campaigns/" + id + "/start", "");

            Optional<Mqtt5Publish> notice = inbox.receive(10, TimeUnit.SECONDS);
            assertThat(notice).isPresent();
            assertThat(notice.get().getTopic().toString()).isEqualTo(Topics.updates(vin));
            JsonNode body = readJson(notice.get().getPayloadAsBytes());
            long actionId = devices.openAction(vin).orElseThrow().id();
            assertThat(body.path("actionId").asLong()).isEqualTo(actionId);
            assertThat(body.path("state").asText()).isEqualTo(ActionState.OFFERED.code());
        }
    }

    // --- helpers

    /** Registers {@code n} cars of {@code model} (no certificates needed for reports through the Java API). */
    List<Vin> cars(String model, int n) {
        List<Vin> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Vin vin = TestVins.northAmerican("1TSUWAVE", ++serial);
            server.server().registry().register(vin, model, "carol", Set.of());
            out.add(vin);
        }
        out.sort(Comparator.comparing(Vin::value));
        return out;
    }

    long distribution(String model, String version) {
        String sha = artifacts.add("main.img", model + " " + version, "ecu-main");
        ApiCalls.Response response = operator.post("/api/v1/distributions", """
                {"name": "%s", "version": "%s", "model": "%s", "modules": [{"hardwareId": "ecu-main", "name": "main",
                 "type": "firmware", "version": "%s", "artifacts": [{"sha256": "%s"}]}]}""".formatted(
                        model.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), version, model, version, sha));
        return created(response).path("id").asLong();
    }

    static JsonNode created(ApiCalls.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body();
    }

    String state(long id) {
        return operator.get("/api/v1/campaigns/" + id).body().path("state").asText();
    }

    void report(Vin vin, Execution execution, Finished finished) {
        long id = devices.openAction(vin).orElseThrow().id();
        devices.feedback(vin, id, Feedback.of(execution, finished));
    }

    static JsonNode readJson(byte[] bytes) {
        try {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
