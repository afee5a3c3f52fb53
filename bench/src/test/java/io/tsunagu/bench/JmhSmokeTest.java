package io.tsunagu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openjdk.jmh.results.RunResult;

/**
 * Keeps the harness from rotting: every benchmark class runs once in this JVM with one 100 ms iteration. Asserts only
 * that each benchmark produced a result and the report printed; never a figure.
 */
class JmhSmokeTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final JmhMain jmh = new JmhMain(new PrintStream(printed, true, StandardCharsets.UTF_8));

    @ParameterizedTest
    @CsvSource({
        "DecodeBenchmark, 4, 'decode JSON, Tsunagu / Jackson tokens'",
        "EncodeBenchmark, 2, signals/s",
        "ValidateBenchmark, 2, 'validate, full checks / lookup only'",
        "TwinApplyBenchmark, 2, 'twin apply, 10 k cars / 1 k cars'",
        "HistoryAppendBenchmark, 4, bytes per stored sample",
        "IngestBenchmark, 2, 'ingest pipeline, questdb / discard'"
    })
    void everyBenchmarkClassRunsAndIsReported(String benchmarkClass, int benchmarks, String reported) throws Exception {
        Collection<RunResult> results = jmh.run(
                JmhSettings.smoke(),
                List.of("io\\.tsunagu\\.bench\\.micro\\." + benchmarkClass + "\\."),
                Optional.empty());

        assertThat(results).hasSize(benchmarks);
        assertThat(results)
                .allSatisfy(result ->
                        assertThat(result.getPrimaryResult().getSampleCount()).isPositive());
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(reported);
    }

    @Test
    void printsUsageForHelpAndRunsNothing() throws Exception {
        assertThat(jmh.run("--help")).isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--quick").contains("REGEX");
    }

    @Test
    void rejectsUnknownOptionNamingIt() {
        assertThatThrownBy(() -> jmh.run("--fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--fast");
    }

    @Test
    void parsesModeForksJsonAndFilters() {
        JmhMain.Args args = JmhMain.Args.parse("--quick", "--forks", "2", "--json", "out.json", "Decode", "Validate");

        assertThat(args.settings().name()).isEqualTo("quick");
        assertThat(args.settings().forks()).isEqualTo(2);
        assertThat(args.json())
                .hasValueSatisfying(path -> assertThat(path.toString()).isEqualTo("out.json"));
        assertThat(args.includes()).containsExactly("Decode", "Validate");
    }
}
