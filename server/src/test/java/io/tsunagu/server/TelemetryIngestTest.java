package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.testing.TestCar;
import io.tsunagu.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry from a plain MQTT 5 client over mutual TLS into twin and history, including bad input. */
class TelemetryIngestTest {
    static final Vin CAR = Vin.of("1HGCM82633A004352");
    static final Vin OTHER = Vin.of("5YJ3E1EA2KF317000");
    // Yesterday 10:00 UTC: inside the history retention whenever the test runs.
    static final long T0 = java.time.Instant.now()
            .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
            .minus(java.time.Duration.ofHours(14))
            .toEpochMilli();

    @TempDir
    Path dataDir;

    TestServer server;
    IssuedCredentials credentials;

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir);
        credentials = server.register(CAR, "alice");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void acceptedTelemetryUpdatesTwinAndHistoryBeforeThePubackArrives() {
        try (TestCar car = TestCar.connect(CAR, credentials, server.mqttPort())) {
            TestCar.Ack ack = car.sendJson("{\"ts\": " + T0 + ", \"seq\": 1, \"signals\": {\"Vehicle.Speed\": 42.5,"
                    + " \"Vehicle.Powertrain.TractionBattery.StateOfCharge.Current\": 80.5}}");

            assertThat(ack.success()).as("PUBACK %s", ack).isTrue();
            // The PUBACK came after the durable write: history and twin already hold the values.
            assertThat(history(CAR))
                    .extracting(p -> p.path() + "=" + p.value())
                    .containsExactly(
                            "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current=Num[value=80.5]",
                            "Vehicle.Speed=Num[value=42.5]");
            JsonNode twin =
                    server.adminApi().get("/api/v1/vehicles/" + CAR + "/twin").body();
            assertThat(twin.path("online").asBoolean()).isTrue();
            assertThat(twin.path("reported").path("Vehicle.Speed").path("value").asDouble())
                    .isEqualTo(42.5);
            assertThat(twin.path("reported").path("Vehicle.Speed").path("ts").asLong())
                    .isEqualTo(T0);
        }
    }

    @Test
    void outOfOrderAndDuplicateSamplesNeverMoveTheTwinBackAndAreStoredOnce() {
        try (TestCar car = TestCar.connect(CAR, credentials, server.mqttPort())) {
            assertThat(car.sendJson(speed(T0 + 2000, 3, 30)).success()).isTrue();
            assertThat(car.sendJson(speed(T0, 1, 10)).success()).isTrue(); // late
            assertThat(car.sendJson(speed(T0 + 2000, 3, 30)).success()).isTrue(); // re-sent duplicate
            assertThat(car.sendJson("{\"batch\": [" + speed(T0 + 1000, 2, 20) + "," + speed(T0, 1, 10) + "]}")
                            .success())
                    .isTrue();

            assertThat(history(CAR)).extracting(p -> p.tsMs() - T0).containsExactly(0L, 1000L, 2000L);
            JsonNode twin =
                    server.adminApi().get("/api/v1/vehicles/" + CAR + "/twin").body();
            assertThat(twin.path("reported").path("Vehicle.Speed").path("value").asInt())
                    .isEqualTo(30);
            assertThat(twin.path("reported").path("Vehicle.Speed").path("ts").asLong())
                    .isEqualTo(T0 + 2000);
        }
    }

    @Test
    void malformedJsonIsRefusedWithAReasonAndCounted() {
        try (TestCar car = TestCar.connect(CAR, credentials, server.mqttPort())) {
            TestCar.Ack ack = car.sendJson("{\"ts\": 1, \"signals\": {\"Vehicle.Speed\": ");

            assertThat(ack.code()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
            assertThat(ack.reason()).get().asString().startsWith("malformed_payload");
            assertRejectedOnce("malformed_payload");
            assertThat(car.connected())
                    .as("a bad message does not cost the car its connection")
                    .isTrue();
        }
    }

    @Test
    void invalidValuesAreRefusedOneByOneWhileValidOnesInTheSameMessageAreStored() {
        try (TestCar car = TestCar.connect(CAR, credentials, server.mqttPort())) {
            TestCar.Ack ack = car.sendJson("{\"ts\": " + T0 + ", \"signals\": {"
                    + "\"Vehicle.Speed\": 50,"
                    + "\"Vehicle.NoSuchSignal\": 1,"
                    + "\"Vehicle.Powertrain.TractionBattery.StateOfCharge.Current\": \"full\","
                    + "\"Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed\": 180}}");

            // HiveMQ sends reason strings only with error codes; the refused values are reported via the API.
            assertThat(ack.success()).isTrue();
            assertThat(history(CAR)).extracting(p -> p.path()).containsExactly("Vehicle.Speed");
            assertRejectedOnce("unknown_signal");
            assertRejectedOnce("wrong_datatype");
            assertRejectedOnce("out_of_range");
            JsonNode rejections = server.adminApi()
                    .get("/api/v1/vehicles/" + CAR + "/rejections")
                    .body();
            assertThat(rejections.path("total").asInt()).isEqualTo(3);
            assertThat(rejections.path("recent").findValuesAsText("signal"))
                    .containsExactly(
                            "Vehicle.NoSuchSignal",
                            "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
                            "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed");
        }
    }

    @Test
    void oversizedPayloadIsRefusedWithoutDisconnecting() {
        try (TestCar car = TestCar.connect(CAR, credentials, server.mqttPort())) {
            String padding = "x".repeat(server.config().ingest().maxPayloadBytes());
            TestCar.Ack ack = car.sendJson("{\"ts\": " + T0 + ", \"pad\": \"" + padding + "\", \"signals\": {}}");

            assertThat(ack.code()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
            assertThat(ack.reason()).get().asString().startsWith("payload_too_large");
            assertRejectedOnce("payload_too_large");
            assertThat(car.sendJson(speed(T0, 1, 10)).success()).isTrue();
        }
    }

    @Test
    void aFloodingCarIsRateLimitedWhileAnotherCarIsUnaffected() {
        server.close();
        server = TestServer.start(
                dataDir, c -> c.withIngest(new io.tsunagu.server.ingest.IngestConfig(64 * 1024, 5, 10, 200_000)));
        IssuedCredentials other = server.register(OTHER, "bob");
        try (TestCar flooder = TestCar.connect(CAR, credentials, server.mqttPort());
                TestCar quiet = TestCar.connect(OTHER, other, server.mqttPort())) {
            int limited = 0;
            for (int i = 0; i < 40; i++) {
                if (flooder.sendJson(speed(T0 + i, i, 10)).code() == Mqtt5PubAckReasonCode.QUOTA_EXCEEDED) {
                    limited++;
                }
            }
            assertThat(limited)
                    .as("messages beyond the burst of 10 are refused")
                    .isGreaterThan(0);
            assertThat(quiet.sendJson(speed(T0, 1, 99)).success()).isTrue();
            assertThat(history(OTHER)).hasSize(1);
            assertRejectedAtLeast("rate_limited", limited);
            assertThat(flooder.connected()).isTrue();
        }
    }

    @Test
    void historyAndTwinSurviveARestart() {
        try (TestCar car = TestCar.connect(CAR, credentials, server.mqttPort())) {
            assertThat(car.sendJson(speed(T0, 1, 10)).success()).isTrue();
            assertThat(car.sendJson(speed(T0 + 1000, 2, 20)).success()).isTrue();
        }
        server.restart();

        assertThat(history(CAR)).hasSize(2);
        JsonNode twin =
                server.adminApi().get("/api/v1/vehicles/" + CAR + "/twin").body();
        assertThat(twin.path("reported").path("Vehicle.Speed").path("value").asInt())
                .isEqualTo(20);
        assertThat(twin.path("online").asBoolean()).isFalse();
    }

    @Test
    void twinShowsTheCarOfflineOnceItDisconnects() {
        TestCar car = TestCar.connect(CAR, credentials, server.mqttPort());
        await().atMost(Duration.ofSeconds(10)).until(() -> onlineFlag(CAR));
        car.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !onlineFlag(CAR));
    }

    private boolean onlineFlag(Vin vin) {
        return server.adminApi()
                .get("/api/v1/vehicles/" + vin + "/twin")
                .body()
                .path("online")
                .asBoolean();
    }

    private static String speed(long ts, long seq, double value) {
        return "{\"ts\": " + ts + ", \"seq\": " + seq + ", \"signals\": {\"Vehicle.Speed\": " + value + "}}";
    }

    /** Everything stored for the car, once every acknowledged append is visible (the store applies asynchronously). */
    private List<io.tsunagu.server.history.HistoryPoint> history(Vin vin) {
        assertThat(server.server().history().awaitVisible(Duration.ofSeconds(30)))
                .as("history visible")
                .isTrue();
        HistoryPage page = server.server().history().query(HistoryQuery.raw(vin, List.of(), 1, T0 + 86_400_000L, 1000));
        return page.points();
    }

    private void assertRejectedOnce(String reason) {
        assertThat(server.server().metrics().value("tsunagu_ingest_rejected_total", "reason", reason))
                .as("rejections counted for %s", reason)
                .isEqualTo(1);
    }

    private void assertRejectedAtLeast(String reason, long count) {
        assertThat(server.server().metrics().value("tsunagu_ingest_rejected_total", "reason", reason))
                .isGreaterThanOrEqualTo(count);
    }
}
