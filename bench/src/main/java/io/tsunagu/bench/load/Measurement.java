package io.tsunagu.bench.load;

import java.util.Map;

/**
 * One target's figures in one scenario. An "operation" is the scenario's unit: an acknowledged message, a completed
 * connection or an answered HTTP request.
 *
 * @param target what was measured, e.g. {@code tsunagu} or {@code mosquitto}
 * @param unit the operation, e.g. {@code msg}
 * @param ok operations that succeeded inside the measured interval
 * @param failed operations answered with an error (whole run, including the drain after the interval)
 * @param unanswered operations never answered by the end of the drain (lost)
 * @param seconds length of the measured interval
 * @param opsPerS {@code ok / seconds}
 * @param signalsPerS VSS signals per second carried by the acknowledged messages (0 when not a message scenario)
 * @param p50Ms median latency of an operation (publish to PUBACK, CONNECT to CONNACK, request to response)
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param serverCpuUsPerOp CPU time of the server process per successful operation, µs
 * @param generatorCpuUsPerOp CPU time of the load generator (this process) per successful operation, µs
 * @param extras scenario-specific figures, named with their unit
 */
public record Measurement(
        String target,
        String unit,
        long ok,
        long failed,
        long unanswered,
        double seconds,
        double opsPerS,
        double signalsPerS,
        double p50Ms,
        double p99Ms,
        double p999Ms,
        double serverCpuUsPerOp,
        double generatorCpuUsPerOp,
        Map<String, Double> extras) {

    /** Builds a measurement from an interval's snapshot; {@code signalsPerOp} is 0 for non-message operations. */
    static Measurement of(
            String target,
            String unit,
            MeasuredInterval.Snapshot interval,
            long ok,
            long failed,
            long unanswered,
            int signalsPerOp,
            Latencies latencies,
            Map<String, Double> extras) {
        double[] p = latencies.percentilesMs(0.50, 0.99, 0.999);
        double perOp = Math.max(ok, 1);
        double seconds = interval.seconds();
        return new Measurement(
                target,
                unit,
                ok,
                failed,
                unanswered,
                seconds,
                ok / seconds,
                ok * (double) signalsPerOp / seconds,
                p[0],
                p[1],
                p[2],
                interval.serverCpuNanos() / 1_000.0 / perOp,
                interval.generatorCpuNanos() / 1_000.0 / perOp,
                Map.copyOf(extras));
    }
}
