package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistoryQueryTest {
    private static final Vin VIN = Vin.of("WVWZZZ1JZXW000001");

    @Test
    void rejectsRangeWhoseStartIsNotBeforeItsEnd() {
        assertInvalid(() -> HistoryQuery.raw(VIN, List.of(), 1000, 1000, 10), "from (1000) must be before to (1000)");
        assertInvalid(() -> HistoryQuery.raw(VIN, List.of(), 2000, 1000, 10), "must be before");
    }

    @Test
    void rejectsTimesOutsideTheStorableRange() {
        assertInvalid(() -> HistoryQuery.raw(VIN, List.of(), -1, 1000, 10), "from must be at or after 1970");
        assertInvalid(() -> HistoryQuery.raw(VIN, List.of(), 0, HistoryQuery.MAX_TS_MS + 1, 10), "to must be at most");
    }

    @Test
    void rejectsNonPositiveStep() {
        assertInvalid(
                () -> HistoryQuery.downsampled(VIN, List.of(), 0, 1000, 0, Aggregate.AVG, 10),
                "step must be positive, got 0 ms");
        assertInvalid(
                () -> HistoryQuery.downsampled(VIN, List.of(), 0, 1000, -5, Aggregate.AVG, 10),
                "step must be positive");
    }

    @Test
    void rejectsLimitOutsideOneToTenThousand() {
        assertInvalid(() -> HistoryQuery.raw(VIN, List.of(), 0, 1000, 0), "limit must be 1 to 10000, got 0");
        assertInvalid(() -> HistoryQuery.raw(VIN, List.of(), 0, 1000, 10_001), "got 10001");
        assertThat(HistoryQuery.raw(VIN, List.of(), 0, 1000, 10_000).limit()).isEqualTo(10_000);
    }

    @Test
    void rejectsBlankPathsAndBlankCursor() {
        assertInvalid(() -> HistoryQuery.raw(VIN, List.of(" "), 0, 1000, 10), "blank path");
        assertInvalid(() -> HistoryQuery.raw(VIN, List.of(), 0, 1000, 10).after(""), "cursor must not be blank");
    }

    @Test
    void continuesTheSameQueryAfterACursor() {
        HistoryQuery first = HistoryQuery.downsampled(VIN, List.of("Vehicle.Speed"), 0, 1000, 100, Aggregate.MAX, 5);
        HistoryQuery next = first.after("abc");
        assertThat(next.cursor()).contains("abc");
        assertThat(next).usingRecursiveComparison().ignoringFields("cursor").isEqualTo(first);
        assertThat(first.downsampled()).isTrue();
        assertThat(first.cursor()).isEqualTo(Optional.empty());
    }

    private static void assertInvalid(Runnable build, String message) {
        assertThatThrownBy(build::run)
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((InvalidQueryException) e).code())
                .isEqualTo("invalid_query");
    }
}
