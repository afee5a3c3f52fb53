package io.tsunagu.bench.load;

import java.util.Arrays;

/**
 * Every latency sample of one measurement (ns), kept in a growable array and sorted once for percentiles: exact, and
 * small enough for the sample counts of a bench run (a few million longs at most). Thread-safe.
 */
final class Latencies {
    private long[] samples = new long[1 << 14];
    private int size;

    synchronized void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** Percentiles in ms for each quantile (0..1), nearest-rank; zeros when there is no sample. */
    synchronized double[] percentilesMs(double... quantiles) {
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        double[] out = new double[quantiles.length];
        for (int i = 0; i < quantiles.length; i++) {
            if (size > 0) {
                int rank = (int) Math.ceil(quantiles[i] * size) - 1;
                out[i] = sorted[Math.clamp(rank, 0, size - 1)] / 1e6;
            }
        }
        return out;
    }
}
