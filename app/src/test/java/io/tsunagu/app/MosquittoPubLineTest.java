package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.sim.VinGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mosquitto_pub} line that {@code tsunagu demo} prints works as printed: run through bash with the real
 * Mosquitto client (Debian's mosquitto-clients, installed by .ci/run), it publishes over mutual TLS as a freshly
 * registered car and the value lands in the twin.
 */
class MosquittoPubLineTest {
    @TempDir
    Path dataDir;

    @Test
    void printedMosquittoPubLinePublishesTelemetryIntoTheTwin() throws Exception {
        assumeThat(Path.of("/usr/bin/mosquitto_pub"))
                .as("mosquitto_pub from Debian's mosquitto-clients (installed by .ci/run)")
                .exists();
        try (TestServer server = TestServer.start(dataDir)) {
            Vin vin = VinGenerator.generate(1, DemoCommand.TOOL_CAR_SEED).getFirst();
            Path credentials = DemoCommand.writeToolCar(server.server(), vin);
            String line = DemoCommand.mosquittoLine(vin, credentials, server.mqttPort());

            Process process = new ProcessBuilder("bash", "-c", line)
                    .redirectErrorStream(true)
                    .start();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue())
                    .as("mosquitto_pub output: %s", output)
                    .isZero();
            JsonNode twin =
                    server.adminApi().get("/api/v1/vehicles/" + vin + "/twin").body();
            assertThat(twin.path("reported").path("Vehicle.Speed").path("value").asDouble())
                    .isEqualTo(42.5);
            assertThat(Files.getPosixFilePermissions(credentials.resolve("key.pem"))
                            .toString())
                    .isEqualTo("[OWNER_READ, OWNER_WRITE]");
        }
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
