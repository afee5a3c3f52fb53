package io.tsunagu.bench.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryShapeTest {
    @Test
    void theDefaultShapeHoldsTheDayCarsDayAndEveryCarsWindow() {
        HistoryShape shape = new HistoryShape(10_000, 120, HistoryShape.FULL_DAY_S, 1);

        assertThat(shape.samples()).isEqualTo((86_400 - 120 + 10_000L * 120) * 20);
        assertThat(Instant.ofEpochMilli(HistoryShape.DAY_START_MS)).hasToString("2026-01-02T00:00:00Z");
        assertThat(Instant.ofEpochMilli(shape.dayEndMs())).hasToString("2026-01-03T00:00:00Z");
        assertThat(shape.dayEndMs() - shape.windowStartMs()).isEqualTo(120_000);
        assertThat(shape.describe()).contains("10000 cars", "25725600 rows");
    }

    @Test
    void refusesShapesThatCannotHoldTheQueries() {
        assertThatThrownBy(() -> new HistoryShape(0, 60, 3_600, 1)).hasMessageContaining("cars");
        assertThatThrownBy(() -> new HistoryShape(10, 0, 3_600, 1)).hasMessageContaining("window");
        assertThatThrownBy(() -> new HistoryShape(10, 600, 300, 1)).hasMessageContaining("shorter");
        assertThatThrownBy(() -> new HistoryShape(10, 60, 90_000, 1)).hasMessageContaining("at most 86400");
    }
}
