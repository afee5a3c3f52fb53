package io.tsunagu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    private final ReconnectBackoff backoff = new ReconnectBackoff(500, 30_000);

    @Test
    void capDoublesFromInitialUpToMax() {
        assertThat(backoff.capMs(1)).isEqualTo(500);
        assertThat(backoff.capMs(2)).isEqualTo(1_000);
        assertThat(backoff.capMs(3)).isEqualTo(2_000);
        assertThat(backoff.capMs(7)).isEqualTo(30_000);
        assertThat(backoff.capMs(1_000)).isEqualTo(30_000);
        assertThat(backoff.capMs(Integer.MAX_VALUE)).isEqualTo(30_000);
    }

    @Test
    void jitteredDelaysStayWithinZeroAndTheCapAndSpreadOut() {
        Random random = new Random(42);
        for (int attempt = 1; attempt <= 20; attempt++) {
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                long delay = backoff.delayMs(attempt, random);
                assertThat(delay).isBetween(0L, backoff.capMs(attempt));
                seen.add(delay);
            }
            assertThat(seen).as("full jitter spreads attempt %d", attempt).hasSizeGreaterThan(50);
        }
    }

    @Test
    void sameSeedGivesSameDelays() {
        Random a = new Random(7);
        Random b = new Random(7);
        for (int attempt = 1; attempt < 10; attempt++) {
            assertThat(backoff.delayMs(attempt, a)).isEqualTo(backoff.delayMs(attempt, b));
        }
    }

    @Test
    void rejectsMaxBelowInitial() {
        assertThatThrownBy(() -> new ReconnectBackoff(1_000, 10)).hasMessageContaining("initialMs <= maxMs");
    }
}
