package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.FleetException;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestCar;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoking a vehicle through the REST API ends its MQTT session and refuses every later connect with any of its
 * certificates. Revocation is terminal for the VIN: the registry records no new certificate for it (so neither {@code
 * reissue} nor a certificate minted by the CA directly is trusted) and the VIN cannot be registered again; there is no
 * reinstate operation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SPEED = "{\"ts\": 1764064800000, \"signals\": {\"Vehicle.Speed\": 12}}";

    TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.start(dir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void revokingClosesTheLiveSessionAndRefusesTheSameCertificateAtOnceWhileOtherCarsStayConnected() {
        Vin revoked = TestVins.northAmerican("1TSUREVK", 1);
        Vin bystander = TestVins.northAmerican("1TSUREVK", 2);
        IssuedCredentials credentials = server.register(revoked, "alice");
        IssuedCredentials bystanderCredentials = server.register(bystander, "bob");

        try (TestCar car = TestCar.connect(revoked, credentials, server.mqttPort());
                TestCar other = TestCar.connect(bystander, bystanderCredentials, server.mqttPort())) {
            ApiCalls.Response response = server.adminApi().post("/api/v1/vehicles/" + revoked + "/revoke", "");

            assertThat(response.status()).as(response.text()).isEqualTo(200);
            assertThat(response.body().path("revoked").asBoolean()).isTrue();
            assertThat(response.body().path("revokedAt").asText()).isNotEmpty();
            await().atMost(WAIT).until(() -> !car.connected());
            TestCar again = TestCar.create(revoked.value(), revoked, credentials, server.mqttPort());
            assertThatThrownBy(again::connect)
                    .isInstanceOfSatisfying(
                            Mqtt5ConnAckException.class,
                            e -> assertThat(e.getMqttMessage().getReasonCode())
                                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
            assertThat(other.connected()).isTrue();
            assertThat(other.sendJson(SPEED).success()).isTrue();
        }
        await().atMost(WAIT).until(() -> !onlineFlag(revoked));
        assertThat(server.server().metrics().value("tsunagu_mqtt_auth_refused_total", "reason", "certificate_revoked"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void revocationCoversEveryCertificateTheVehicleWasIssued() {
        Vin vin = TestVins.northAmerican("1TSUREVK", 3);
        IssuedCredentials first = server.register(vin, "alice");
        IssuedCredentials renewed = server.server().provisioning().reissue(vin);
        try (TestCar car = TestCar.connect(vin, first, server.mqttPort())) {
            assertThat(car.connected())
                    .as("the earlier certificate stays valid after a renewal")
                    .isTrue();
        }

        assertThat(server.adminApi()
                        .post("/api/v1/vehicles/" + vin + "/revoke", "")
                        .status())
                .isEqualTo(200);

        assertThat(TestCar.create(vin.value(), vin, first, server.mqttPort()).connectExpectingRefusal())
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(TestCar.create(vin.value(), vin, renewed, server.mqttPort()).connectExpectingRefusal())
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void aRevokedVehicleGetsNoNewCertificateAndItsVinCannotBeRegisteredAgain() {
        Vin vin = TestVins.northAmerican("1TSUREVK", 4);
        server.register(vin, "alice");
        assertThat(server.adminApi()
                        .post("/api/v1/vehicles/" + vin + "/revoke", "")
                        .status())
                .isEqualTo(200);

        assertThatThrownBy(() -> server.server().provisioning().reissue(vin))
                .isInstanceOfSatisfying(
                        FleetException.class, e -> assertThat(e.code()).isEqualTo(FleetException.VEHICLE_REVOKED));
        ApiCalls.Response reRegister = server.adminApi()
                .post("/api/v1/vehicles", "{\"vin\": \"" + vin + "\", \"model\": \"Test EV\", \"owner\": \"alice\"}");
        assertThat(reRegister.status()).isEqualTo(409);
        assertThat(reRegister.code()).isEqualTo("vehicle_exists");
        // A certificate minted by the CA for the revoked VIN and recorded by hand is still refused by the registry.
        IssuedCredentials minted = server.server().authority().issueVehicle(vin, Duration.ofDays(1));
        assertThatThrownBy(() -> server.server()
                        .registry()
                        .recordCertificate(vin, minted.serial(), Instant.now(), minted.notAfter()))
                .isInstanceOfSatisfying(
                        FleetException.class, e -> assertThat(e.code()).isEqualTo(FleetException.VEHICLE_REVOKED));
        assertThat(TestCar.create(vin.value(), vin, minted, server.mqttPort()).connectExpectingRefusal())
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void revokingTwiceIsHarmlessAndKeepsTheFirstRevocationTime() {
        Vin vin = TestVins.northAmerican("1TSUREVK", 5);
        server.register(vin, "alice");
        ApiCalls admin = server.adminApi();

        ApiCalls.Response first = admin.post("/api/v1/vehicles/" + vin + "/revoke", "");
        ApiCalls.Response second = admin.post("/api/v1/vehicles/" + vin + "/revoke", "");

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().path("revokedAt").asText())
                .isEqualTo(first.body().path("revokedAt").asText());
        assertThat(admin.get("/api/v1/vehicles/" + vin).body().path("revoked").asBoolean())
                .isTrue();
    }

    private boolean onlineFlag(Vin vin) {
        return server.adminApi()
                .get("/api/v1/vehicles/" + vin + "/twin")
                .body()
                .path("online")
                .asBoolean();
    }
}
