package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdDayCompactorTest {
    private static final long DAY_MS = 86_400_000L;
    private static final Instant D0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");

    @TempDir
    Path dir;

    private QuestDbSampleStore store;
    private final Metrics metrics = new Metrics();
    private final ManualClock clock = new ManualClock(D0.plus(Duration.ofHours(20)));

    @BeforeEach
    void open() {
        store = QuestDbSampleStore.open(dir);
        List<Sample> samples = new ArrayList<>();
        for (int day = 0; day < 2; day++) {
            for (int i = 0; i < 500; i++) {
                samples.add(new Sample(
                        CAR, D0.toEpochMilli() + day * DAY_MS + i * 60_000L, i, "Vehicle.Speed", new Num(i)));
            }
        }
        appendVisible(store, samples);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void convertsADayOnceItEndedColdAfterAgoAndCountsIt() {
        ColdDayCompactor compactor = new ColdDayCompactor(store, Duration.ofDays(2), clock, metrics);

        assertThat(compactor.runOnce()).as("the first day has not ended").isEmpty();
        clock.advance(Duration.ofDays(2));
        assertThat(compactor.runOnce()).as("the first day ended 44 h ago").isEmpty();
        clock.advance(Duration.ofHours(4));
        List<ColdDay> converted = compactor.runOnce();

        assertThat(converted).extracting(ColdDay::day).containsExactly("2026-05-01");
        assertThat(metrics.value("tsunagu_history_cold_days_converted_total")).isEqualTo(1);
        assertThat(metrics.value("tsunagu_history_cold_native_bytes_total"))
                .isEqualTo(converted.getFirst().nativeBytes());
        assertThat(metrics.value("tsunagu_history_cold_parquet_bytes_total"))
                .isEqualTo(converted.getFirst().parquetBytes())
                .isLessThan(converted.getFirst().nativeBytes());
        assertThat(metrics.value("tsunagu_history_cold_days")).isEqualTo(1);
        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), D0.toEpochMilli(), D0.toEpochMilli() + DAY_MS, 1000))
                        .points())
                .hasSize(500);
    }

    @Test
    void refusesAColdAfterThatIsNotPositive() {
        assertThatThrownBy(() -> new ColdDayCompactor(store, Duration.ofDays(-1), clock, metrics))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cold-after");
    }

    /** Appends and waits until reads see the samples (appends are acknowledged before the table apply). */
    private static void appendVisible(QuestDbSampleStore store, List<Sample> samples) {
        store.appendDurably(samples);
        assertThat(store.awaitVisible(Duration.ofSeconds(30)))
                .as("applied within 30 s")
                .isTrue();
    }
}
