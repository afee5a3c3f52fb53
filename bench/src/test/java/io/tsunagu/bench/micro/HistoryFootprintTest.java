package io.tsunagu.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFootprintTest {
    @TempDir
    Path scratch;

    private final HistoryFootprint footprint = new HistoryFootprint(20, 30);

    @Test
    void tsunaguColdDaysAreSmallerThanNativeAndTheirQueriesAreTimedOnBothSides() {
        HistoryFootprint.Footprint hot = footprint.measure("tsunagu", scratch);
        HistoryFootprint.Footprint cold = footprint.measure(HistoryFootprint.TSUNAGU_PARQUET, scratch);

        assertThat(cold.samples()).isEqualTo(hot.samples()).isEqualTo(20L * 30 * EvFleet.SIGNALS_PER_FRAME);
        assertThat(cold.bytesByPart()).containsKey("parquet").containsKey("vin");
        assertThat(cold.bytesPerSample()).isLessThan(hot.bytesPerSample());
        assertThat(hot.queryCost()).isEmpty();
        assertThat(cold.queryCost()).hasValueSatisfying(cost -> {
            assertThat(cost.nativeDay().rawCarMicros()).isPositive();
            assertThat(cost.parquetDay().rawCarMicros()).isPositive();
            assertThat(cost.parquetDay().downsampledMicros()).isPositive();
            assertThat(cost.parquetDay().latestMicros()).isPositive();
        });
    }

    @Test
    void theArchivedDayLivesInItsParquetFileAndItsQueriesAreTimedOnBothSides() {
        HistoryFootprint.Footprint hot = footprint.measure("tsunagu", scratch);
        HistoryFootprint.Footprint archived = footprint.measure(HistoryFootprint.TSUNAGU_ARCHIVE, scratch);

        assertThat(archived.samples()).isEqualTo(hot.samples());
        assertThat(archived.bytesByPart())
                .containsKey(HistoryFootprint.ARCHIVE_DAY)
                .containsKey(HistoryFootprint.ARCHIVE_LATEST);
        assertThat(archived.bytesByPart().getOrDefault("num", 0L))
                .as("only the sealing sample's day is left in the table")
                .isLessThan(hot.bytesByPart().get("num") / 10);
        assertThat(archived.queryCost()).hasValueSatisfying(cost -> {
            assertThat(cost.cold()).isEqualTo("archive");
            assertThat(cost.parquetDay().rawCarMicros()).isPositive();
            assertThat(cost.parquetDay().rawCarHourMicros()).isPositive();
            assertThat(cost.parquetDay().downsampledMicros()).isPositive();
            assertThat(cost.parquetDay().latestMicros()).isPositive();
        });
    }
}
