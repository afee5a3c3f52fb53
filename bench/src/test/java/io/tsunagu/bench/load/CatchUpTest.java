package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CatchUpTest {
    /** A clock that only moves when the warm-up sleeps, and a backlog read from a script, one value per check. */
    private static final class Script {
        final AtomicLong nowMs = new AtomicLong();
        final ArrayDeque<Long> backlog;
        long last;

        Script(Long... backlog) {
            this.backlog = new ArrayDeque<>(List.of(backlog));
        }

        long outstanding() {
            if (!backlog.isEmpty()) {
                last = backlog.poll();
            }
            return last;
        }

        CatchUp.Outcome run(CatchUp catchUp) {
            return catchUp.await(this::outstanding, nowMs::get, nowMs::addAndGet);
        }
    }

    @Test
    void aTargetWithoutBacklogIsMeasuredAfterTheLeastWarmUpAndOneMoreCheck() {
        Script script = new Script(0L);

        CatchUp.Outcome outcome = script.run(new CatchUp(20_000, 80_000, 1_000));

        assertThat(outcome).isEqualTo(new CatchUp.Outcome(20_250, true));
    }

    @Test
    void theWarmUpLastsUntilTheBacklogStaysBelowTheThresholdOnTwoChecksInARow() {
        Script script = new Script(35_000L, 20_000L, 900L, 5_000L, 800L, 700L);

        CatchUp.Outcome outcome = script.run(new CatchUp(20_000, 80_000, 1_000));

        // checks at 20.00, 20.25, 20.50 (below), 20.75 (above again), 21.00 (below), 21.25 (below: caught up)
        assertThat(outcome).isEqualTo(new CatchUp.Outcome(21_250, true));
    }

    @Test
    void aTargetThatNeverCatchesUpIsMeasuredAtTheLongestWarmUpAndSaysSo() {
        Script script = new Script(50_000L);

        CatchUp.Outcome outcome = script.run(new CatchUp(20_000, 30_100, 1_000));

        assertThat(outcome).isEqualTo(new CatchUp.Outcome(30_100, false));
    }

    @Test
    void theThresholdIsWhatTheFleetOffersIn100Ms() {
        assertThat(CatchUp.thresholdFor(5_000, 500)).isEqualTo(1_000);
        assertThat(CatchUp.thresholdFor(2, 500)).isEqualTo(1);
    }

    @Test
    void aLongestWarmUpShorterThanTheLeastIsRefused() {
        assertThatThrownBy(() -> new CatchUp(20_000, 10_000, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minMs <= maxMs");
    }
}
