package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {
    @Test
    void countsOnlyExecutedCommandsAsOkAndEveryOtherEndingAsFailedByState() {
        AtomicLong n = new AtomicLong();
        // Stopped by count, not by time: on a loaded machine a 50 ms window could end before a loop starts.
        ClosedLoop.Result result = ClosedLoop.run(2, () -> n.get() < 6, ProcessMeter.self(), () -> switch ((int)
                (n.getAndIncrement() % 3)) {
            case 0 -> new CommandRoundTrip.Outcome("executed", 4_000_000, Map.of("post", 1.0, "queuedToSent", 2.0));
            case 1 -> new CommandRoundTrip.Outcome("refused", 1_000_000);
            default -> new CommandRoundTrip.Outcome(CommandRoundTrip.TIMED_OUT, 9_000_000);
        });

        Measurement m = result.measurement("tsunagu-command", "command", "executed", result.finalStates("executed"));

        assertThat(m.ok() + m.failed()).isEqualTo(n.get());
        assertThat(m.ok()).isEqualTo(result.states().get("executed"));
        assertThat(m.p50Ms()).isEqualTo(4.0); // only executed round trips carry a latency
        assertThat(m.extras()).containsOnlyKeys("final.refused", "final.timed_out");
        assertThat(result.stagesMs()).containsOnly(Map.entry("post", 1.0), Map.entry("queuedToSent", 2.0));
    }
}
