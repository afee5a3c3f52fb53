package io.tsunagu.bench;

import java.time.Duration;

/**
 * How long JMH measures: forks, warm-up and measurement iterations, plus the size of the storage footprint data set.
 *
 * @param name shown in the report ({@code full}, {@code quick}, {@code smoke})
 * @param forks JVMs forked per benchmark; 0 runs in this JVM (only for smoke runs: results are less trustworthy)
 * @param warmupIterations warm-up iterations per fork
 * @param warmupTime length of one warm-up iteration
 * @param measurementIterations measured iterations per fork
 * @param measurementTime length of one measured iteration
 * @param footprintCars cars of the fixed data set stored for bytes per sample
 * @param footprintSeconds simulated seconds of that data set
 */
public record JmhSettings(
        String name,
        int forks,
        int warmupIterations,
        Duration warmupTime,
        int measurementIterations,
        Duration measurementTime,
        int footprintCars,
        int footprintSeconds) {

    /** Numbers to quote: one fork, 3 × 2 s warm-up, 5 × 2 s measured; footprint of 6 M samples. */
    public static JmhSettings full() {
        return new JmhSettings("full", 1, 3, Duration.ofSeconds(2), 5, Duration.ofSeconds(2), 500, 600);
    }

    /** A first look in about a minute: 1 × 1 s warm-up, 2 × 1 s measured; footprint of 600 k samples. */
    public static JmhSettings quick() {
        return new JmhSettings("quick", 1, 1, Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 500, 60);
    }

    /** Only proves the harness runs: in this JVM, one 100 ms iteration each; figures mean nothing. */
    public static JmhSettings smoke() {
        return new JmhSettings("smoke", 0, 1, Duration.ofMillis(100), 1, Duration.ofMillis(100), 50, 5);
    }

    /** The same settings with another fork count. */
    public JmhSettings withForks(int forkCount) {
        if (forkCount < 0) {
            throw new IllegalArgumentException("--forks must be >= 0, got " + forkCount);
        }
        return new JmhSettings(
                name,
                forkCount,
                warmupIterations,
                warmupTime,
                measurementIterations,
                measurementTime,
                footprintCars,
                footprintSeconds);
    }

    /** One line for the report header. */
    public String describe() {
        return "%s: %d fork(s), %d × %d ms warm-up, %d × %d ms measured"
                .formatted(
                        name,
                        forks,
                        warmupIterations,
                        warmupTime.toMillis(),
                        measurementIterations,
                        measurementTime.toMillis());
    }
}
