package io.tsunagu.bench.load;

import java.util.List;
import java.util.Map;

/**
 * One scenario's outcome: Tsunagu's figures next to its baseline's, their ratios and what limits them.
 *
 * @param scenario e.g. {@code ingest-max}
 * @param settings what was run (cars, connections, seconds), named with units
 * @param measurements one per target, Tsunagu first
 * @param ratios Tsunagu / baseline, e.g. {@code msgPerS} and {@code serverCpuUsPerMsg}
 * @param notes what the figures mean or what limited them
 */
public record ScenarioResult(
        String scenario,
        Map<String, Object> settings,
        List<Measurement> measurements,
        Map<String, Double> ratios,
        List<String> notes) {
    public ScenarioResult {
        settings = Map.copyOf(settings);
        measurements = List.copyOf(measurements);
        ratios = Map.copyOf(ratios);
        notes = List.copyOf(notes);
    }

    /** Tsunagu's throughput and server CPU per operation divided by the baseline's ({@code a} / {@code b}). */
    static Map<String, Double> ratios(Measurement a, Measurement b) {
        return Map.of(
                a.unit() + "PerS", a.opsPerS() / Math.max(b.opsPerS(), 1e-9),
                "serverCpuUsPer" + capitalized(a.unit()), a.serverCpuUsPerOp() / Math.max(b.serverCpuUsPerOp(), 1e-9));
    }

    private static String capitalized(String unit) {
        return Character.toUpperCase(unit.charAt(0)) + unit.substring(1);
    }
}
