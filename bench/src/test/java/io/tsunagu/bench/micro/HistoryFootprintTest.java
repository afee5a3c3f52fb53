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
}
