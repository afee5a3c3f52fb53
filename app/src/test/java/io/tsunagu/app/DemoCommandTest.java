package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.history.QuestDbSampleStore;
import io.tsunagu.server.history.SampleStore;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.sim.VinGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tsunagu demo} as a newcomer runs it: server, simulated fleet, the printed hints. */
class DemoCommandTest {
    @TempDir
    Path dataDir;

    @Test
    void demoStartsTheServerAndEverySimulatedCarReportsIntoHistory() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int mqttPort = TestServer.freePort();
        int httpPort = TestServer.freePort();

        int code = cli.execute(
                "demo",
                "--vehicles",
                "5",
                "--data",
                dataDir.toString(),
                "--bind",
                "127.0.0.1",
                "--mqtt-port",
                String.valueOf(mqttPort),
                "--http-port",
                String.valueOf(httpPort),
                "--https-port",
                "0",
                "--duration",
                "12");

        assertThat(code).isZero();
        String printed = out.toString();
        assertThat(printed)
                .contains("http://localhost:" + httpPort + "/api/v1")
                .contains("admin token   tsu_")
                .contains("mosquitto_pub -V mqttv5 -h localhost -p " + mqttPort);
        assertThat(printed).containsPattern("fleet: 5/5 cars connected");
        // The demo stopped by itself after --duration; its history is on disk for every simulated car.
        try (SampleStore history = QuestDbSampleStore.open(dataDir.resolve("history"))) {
            Map<Vin, List<io.tsunagu.protocol.telemetry.Sample>> latest = history.latestAll();
            assertThat(latest.keySet()).containsAll(VinGenerator.generate(5, DemoCommand.FLEET_SEED));
            latest.values()
                    .forEach(samples -> assertThat(samples)
                            .extracting(io.tsunagu.protocol.telemetry.Sample::path)
                            .contains("Vehicle.Speed", "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"));
        }
    }
}
