package io.tsunagu.app;

import static io.tsunagu.app.OtaFixture.HW;
import static io.tsunagu.app.OtaFixture.TCU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.agent.VehicleAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One car, the real server, end to end over real MQTT and HTTPS: an operator uploads an image and rolls it out; the
 * server offers the action, binds it in the Uptane director and notifies the car on MQTT; the agent fetches the DDI
 * deployment with its client certificate, verifies director and image metadata, downloads, installs A/B, commits and
 * reports; the server sees success and the installed base. Refusals end to end: a tampered image in the artifact
 * store ({@code hash_mismatch}) and a car whose ECU has another hardware id than the inventory says ({@code
 * wrong_hardware_id}). Each test has its own car model, so its campaign sees only its car. More refusals: {@link
 * OtaRefusalEndToEndTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtaEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private OtaFixture ota;

    @BeforeAll
    void start(@TempDir Path dir) {
        ota = new OtaFixture(dir, "1TSUUPDT");
    }

    @AfterAll
    void stop() {
        ota.close();
    }

    @Test
    void aCampaignUpdatesTheCarWhichCommitsAndTheServerSeesSuccessAndTheInstalledBase() throws Exception {
        OtaFixture.Car car = ota.car("OTA One EV", HW);
        byte[] image = OtaFixture.image("2.0.0", 300_000);
        long campaign = ota.rollOut(car.model, "2.0.0", image);

        try (VehicleAgent agent = car.agent()) {
            agent.start();
            await().atMost(TIMEOUT).until(() -> ota.state(campaign).equals("finished"));
            assertThat(agent.updates().orElseThrow().ab().installed(TCU).version())
                    .isEqualTo("2.0.0");
            assertThat(agent.updates().orElseThrow().ab().installed(TCU).sha256())
                    .isEqualTo(OtaFixture.sha256(image));
        }
        assertThat(ota.server.server().rollouts().installedBase(car.vin)).isPresent();
        JsonNode updates =
                ota.admin.get("/api/v1/vehicles/" + car.vin + "/updates").body();
        assertThat(updates.toString()).contains("success");
    }

    @Test
    void aTamperedImageIsRefusedAsHashMismatchAndNothingIsInstalled() throws Exception {
        OtaFixture.Car car = ota.car("OTA Tamper EV", HW);
        byte[] image = OtaFixture.image("2.1.0", 200_000);
        String sha = ota.upload(image, HW);
        byte[] tampered = image.clone();
        tampered[100_000] ^= 1;
        try (Stream<Path> files = Files.walk(ota.dir.resolve("server"))) {
            Path stored = files.filter(p -> p.getFileName().toString().equals(sha))
                    .findFirst()
                    .orElseThrow();
            Files.write(stored, tampered);
        }
        long campaign = ota.campaign(ota.distribution(car.model, "2.1.0", sha));

        try (VehicleAgent agent = car.agent()) {
            agent.start();
            await().atMost(TIMEOUT).until(() -> !ota.state(campaign).equals("running"));
            assertThat(agent.updates().orElseThrow().ab().installed(TCU).version())
                    .isEqualTo("1.0.0");
        }
        assertThat(ota.history(car.vin)).contains("hash_mismatch");
    }

    @Test
    void aCarWhoseEcuIsAnotherHardwareRefusesTheImageAsWrongHardwareId() throws Exception {
        OtaFixture.Car car = ota.car("OTA Hardware EV", "tcu-v3"); // the server's inventory says tcu-v2
        long campaign = ota.rollOut(car.model, "2.2.0", OtaFixture.image("2.2.0", 50_000));

        try (VehicleAgent agent = car.agent()) {
            agent.start();
            await().atMost(TIMEOUT).until(() -> !ota.state(campaign).equals("running"));
            assertThat(agent.updates().orElseThrow().ab().installed(TCU).version())
                    .isEqualTo("1.0.0");
        }
        assertThat(ota.history(car.vin)).contains("wrong_hardware_id");
    }
}
