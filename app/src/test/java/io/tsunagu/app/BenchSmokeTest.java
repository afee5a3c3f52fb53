package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.bench.load.LoadBench;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs every load scenario once in smoke mode so the harness never rots. Asserts only that each target did some work
 * (never a figure: the machine is shared). Mosquitto is the baseline and must be installed: its absence fails here.
 * {@code history-query} runs without server or broker and itself fails the run if its engines answer differently.
 */
class BenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyScenarioMeasuresTsunaguAndItsBaselineInSmokeMode() throws Exception {
        assertThat(Path.of("/usr/sbin/mosquitto"))
                .as("the benchmark baseline needs Debian's Mosquitto: apt-get install -y mosquitto")
                .isExecutable();
        Path json = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("bench", "all", "--smoke", "--json", json.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains(LoadBench.SCENARIOS).contains("tsunagu", "mosquitto");
        JsonNode summary = new ObjectMapper().readTree(Files.readString(json));
        List<String> scenarios = new ArrayList<>();
        for (JsonNode scenario : summary.path("scenarios")) {
            scenarios.add(scenario.path("scenario").asText());
            assertThat(scenario.path("measurements").size())
                    .as("Tsunagu and at least one baseline")
                    .isGreaterThanOrEqualTo(2);
            for (JsonNode measurement : scenario.path("measurements")) {
                assertThat(measurement.path("ok").asLong())
                        .as(
                                "%s / %s",
                                scenario.path("scenario").asText(),
                                measurement.path("target").asText())
                        .isPositive();
            }
            assertThat(scenario.path("ratios").size()).isPositive();
        }
        assertThat(scenarios).containsExactlyElementsOf(LoadBench.SCENARIOS);
    }
}
