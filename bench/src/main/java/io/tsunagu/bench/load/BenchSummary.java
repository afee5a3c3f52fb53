package io.tsunagu.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one {@code tsunagu bench} run measured, printable as a table and writable as JSON.
 *
 * @param machine cores, OS and JVM the figures were taken on
 * @param startedAt ISO-8601 instant of the run's start
 * @param smoke whether this was the short CI mode (figures not meaningful)
 * @param scenarios one result per scenario, in run order
 */
public record BenchSummary(String machine, String startedAt, boolean smoke, List<ScenarioResult> scenarios) {
    private static final String ROW = "%-14s %-15s %11s %11s %8s %8s %9s %10s %10s %9s %7s %7s%n";

    public BenchSummary {
        scenarios = List.copyOf(scenarios);
    }

    /** A fixed-width table: one row per target, then ratios, extra figures and notes per scenario. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("Machine: ").append(machine).append(smoke ? "  (smoke mode: figures not meaningful)" : "");
        out.append("\n\n");
        out.append(String.format(
                Locale.ROOT,
                ROW,
                "scenario",
                "target",
                "op/s",
                "signals/s",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "srv µs/op",
                "gen µs/op",
                "ok",
                "failed",
                "lost"));
        for (ScenarioResult scenario : scenarios) {
            appendScenario(out, scenario);
        }
        return out.toString();
    }

    private static void appendScenario(StringBuilder out, ScenarioResult scenario) {
        String name = scenario.scenario();
        for (Measurement m : scenario.measurements()) {
            out.append(String.format(
                    Locale.ROOT,
                    ROW,
                    name,
                    m.target(),
                    number(m.opsPerS()) + " " + m.unit(),
                    m.signalsPerS() > 0 ? number(m.signalsPerS()) : "-",
                    decimal(m.p50Ms()),
                    decimal(m.p99Ms()),
                    decimal(m.p999Ms()),
                    decimal(m.serverCpuUsPerOp()),
                    decimal(m.generatorCpuUsPerOp()),
                    m.ok(),
                    m.failed(),
                    m.unanswered()));
            name = "";
        }
        out.append("    settings: ").append(new TreeMap<>(scenario.settings())).append('\n');
        if (scenario.measurements().size() > 2) {
            out.append("    ratios: "); // several pairs: each key names its own
        } else {
            String baseline = scenario.measurements().size() > 1
                    ? scenario.measurements().get(1).target()
                    : "baseline";
            out.append("    ratio ")
                    .append(scenario.measurements().getFirst().target())
                    .append(" / ")
                    .append(baseline)
                    .append(": ");
        }
        new TreeMap<>(scenario.ratios())
                .forEach((k, v) -> out.append(k).append(' ').append(decimal(v)).append("x  "));
        out.append('\n');
        for (Measurement m : scenario.measurements()) {
            if (!m.extras().isEmpty()) {
                out.append("    ")
                        .append(m.target())
                        .append(": ")
                        .append(extras(m.extras()))
                        .append('\n');
            }
        }
        scenario.notes().forEach(note -> out.append("    note: ").append(note).append('\n'));
        out.append('\n');
    }

    private static String extras(Map<String, Double> extras) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(extras)
                .forEach((k, v) -> out.append(k).append('=').append(decimal(v)).append("  "));
        return out.toString().strip();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    /** Writes this summary as JSON to {@code file}. */
    public void writeJson(Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bench summary to " + file, e);
        }
    }
}
