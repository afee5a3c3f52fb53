package io.tsunagu.app;

import static io.tsunagu.app.OtaFixture.TCU;
import static io.tsunagu.app.OtaFixture.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.agent.VehicleAgent;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.UpdateAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uptane refusals end to end (issue 5): one real server, a real agent per test over MQTT and HTTPS, and an attack
 * staged on the server side (in the metadata database where the signed files live, or through the operator API).
 * Each test asserts that the car's action ends {@code failure} with the refusal code in the car's status details, and
 * that the ECU still runs what it ran before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtaRefusalEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String[] FILES = {"targets", "snapshot", "timestamp_file"};

    private OtaFixture ota;

    @BeforeAll
    void start(@TempDir Path dir) {
        ota = new OtaFixture(dir, "1TSUREFU");
    }

    @AfterAll
    void stop() {
        ota.close();
    }

    @Test
    void anImageWithALowerReleaseCounterThanTheInstalledOneIsRefusedAsRollbackImage() throws Exception {
        OtaFixture.Car car = ota.car("Refuse Rollback Image EV", OtaFixture.HW);
        try (VehicleAgent agent = car.agent()) {
            agent.start();
            installed(agent, car, "2.0.0");
            long older = ota.rollOut(car.model, "1.5.0", image("1.5.0", 30_000));
            assertRefused(car.vin, older, "rollback_image");
            assertThat(version(agent)).isEqualTo("2.0.0");
        }
    }

    @Test
    void anOlderDirectorTimestampThanTheCarHasSeenIsRefusedAsRollbackMetadata() throws Exception {
        OtaFixture.Car car = ota.car("Refuse Rollback Metadata EV", OtaFixture.HW);
        ota.admin.get("/api/v1/uptane/director/" + car.vin + "/timestamp.json"); // signs the car's first scope
        Map<String, byte[]> first = files("director", car.vin.toString());
        try (VehicleAgent agent = car.agent()) {
            agent.start();
            installed(agent, car, "2.0.0");
            long next = ota.rollOut(car.model, "3.0.0", image("3.0.0-meta", 30_000));
            // An attacker (or a restored backup) serves the car's director metadata from before the 2.0.0 binding.
            write("director", car.vin.toString(), first);
            assertRefused(car.vin, next, "rollback_metadata");
            assertThat(version(agent)).isEqualTo("2.0.0");
        }
    }

    @Test
    void aDirectorTimestampAlteredAfterSigningIsRefusedAsBadSignature() throws Exception {
        OtaFixture.Car car = ota.car("Refuse Signature EV", OtaFixture.HW);
        long campaign = ota.rollOut(car.model, "2.0.0", image("2.0.0-sig", 30_000));
        Map<String, byte[]> signed = files("director", car.vin.toString());
        String timestamp = new String(signed.get("timestamp_file"), StandardCharsets.UTF_8);
        // Push the expiry into the future: valid JSON, same keys, but not what the timestamp key signed.
        String altered = timestamp.replaceFirst("\"expires\":\"\\d{4}-", "\"expires\":\"2099-");
        assertThat(altered).isNotEqualTo(timestamp);
        signed.put("timestamp_file", altered.getBytes(StandardCharsets.UTF_8));
        write("director", car.vin.toString(), signed);

        try (VehicleAgent agent = car.agent()) {
            agent.start();
            assertRefused(car.vin, campaign, "bad_signature");
            assertThat(version(agent)).isEqualTo("1.0.0");
        }
    }

    @Test
    void aCarWhoseClockIsPastTheTimestampExpiryRefusesTheMetadataAsExpired() throws Exception {
        OtaFixture.Car car = ota.car("Refuse Freeze EV", OtaFixture.HW);
        long campaign = ota.rollOut(car.model, "2.0.0", image("2.0.0-freeze", 30_000));
        // The timestamp lives 1 day; a car two days ahead sees what a frozen mirror would serve it then.
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofDays(2));

        try (VehicleAgent agent = car.agent(ahead)) {
            agent.start();
            assertRefused(car.vin, campaign, "expired_metadata");
            assertThat(version(agent)).isEqualTo("1.0.0");
        }
    }

    @Test
    void anImageRepositoryThatNoLongerListsTheDirectorsTargetIsRefusedAsMixAndMatch() throws Exception {
        OtaFixture.Car car = ota.car("Refuse Mix EV", OtaFixture.HW);
        ota.admin.get("/api/v1/uptane/image/timestamp.json");
        Map<String, byte[]> before = files("image", "");
        long campaign = ota.rollOut(car.model, "2.0.0", image("2.0.0-mix", 30_000));
        Map<String, byte[]> released = files("image", "");
        // Serve the image repository's valid, unexpired metadata from before the release: the director names an
        // image the image repository does not vouch for.
        write("image", "", before);
        try (VehicleAgent agent = car.agent()) {
            agent.start();
            assertRefused(car.vin, campaign, "mix_and_match");
            assertThat(version(agent)).isEqualTo("1.0.0");
        } finally {
            write("image", "", released);
        }
    }

    // --- helpers

    private void installed(VehicleAgent agent, OtaFixture.Car car, String version) throws Exception {
        long campaign = ota.rollOut(car.model, version, image(version, 30_000));
        await().atMost(TIMEOUT).until(() -> ota.state(campaign).equals("finished"));
        assertThat(version(agent)).isEqualTo(version);
    }

    private void assertRefused(Vin vin, long campaign, String code) {
        UpdateAction action = ota.closedAction(vin, campaign);
        String messages = ota.messages(vin, action.id());
        assertThat(action.state()).as(messages).isEqualTo(ActionState.FAILURE);
        assertThat(messages).contains(code + ":");
    }

    private static String version(VehicleAgent agent) {
        return agent.updates().orElseThrow().ab().installed(TCU).version();
    }

    private Connection connection() throws SQLException {
        return DriverManager.getConnection(MetadataDatabase.embeddedUrl(ota.dir.resolve("server")), "sa", "");
    }

    /** The three signed files of a repository scope as the server stored them. */
    private Map<String, byte[]> files(String repository, String scope) throws SQLException {
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT targets, snapshot, timestamp_file FROM uptane_published WHERE repository = ? AND scope = ?")) {
            s.setString(1, repository);
            s.setString(2, scope);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("published %s/%s", repository, scope).isTrue();
                Map<String, byte[]> files = new LinkedHashMap<>();
                for (String file : FILES) {
                    files.put(file, r.getBytes(file));
                }
                return files;
            }
        }
    }

    /** Overwrites a scope's stored files behind the server's back, as an attacker with the database would. */
    private void write(String repository, String scope, Map<String, byte[]> files) throws SQLException {
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("UPDATE uptane_published SET targets = ?, snapshot = ?,"
                        + " timestamp_file = ? WHERE repository = ? AND scope = ?")) {
            for (int i = 0; i < FILES.length; i++) {
                s.setBytes(i + 1, files.get(FILES[i]));
            }
            s.setString(4, repository);
            s.setString(5, scope);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
