package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void percentilesAreNearestRankInMilliseconds() {
        Latencies latencies = new Latencies();
        for (int ms = 1000; ms >= 1; ms--) { // out of order on purpose
            latencies.record(ms * 1_000_000L);
        }

        assertThat(latencies.percentilesMs(0.5, 0.99, 0.999, 1.0)).containsExactly(500.0, 990.0, 999.0, 1000.0);
        assertThat(latencies.count()).isEqualTo(1000);
    }

    @Test
    void reportsZerosWithoutSamples() {
        assertThat(new Latencies().percentilesMs(0.5, 0.99)).containsExactly(0.0, 0.0);
    }

    @Test
    void readsOwnCpuTimeAndResidentMemory() {
        ProcessMeter self = ProcessMeter.self();

        assertThat(self.cpuNanos()).isPositive();
        assertThat(self.rssBytes()).isGreaterThan(1024 * 1024);
        assertThat(new ProcessMeter(
                                ProcessHandle.current().parent().orElseThrow().pid())
                        .cpuNanos())
                .isNotNegative();
    }
}
