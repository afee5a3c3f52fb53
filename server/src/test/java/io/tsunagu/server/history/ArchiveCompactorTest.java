package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import io.tsunagu.protocol.vss.SignalCatalog;
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

class ArchiveCompactorTest {
    private static final long DAY_MS = 86_400_000L;
    private static final Instant D0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");

    @TempDir
    Path dir;

    private ArchivedSampleStore store;
    private final Metrics metrics = new Metrics();
    private final ManualClock clock = new ManualClock(D0.plus(Duration.ofHours(20)));

    @BeforeEach
    void open() {
        store = ArchivedSampleStore.open(
                QuestDbSampleStore.open(dir.resolve("history")), dir.resolve("archive"), SignalCatalog.vss6());
        List<Sample> samples = new ArrayList<>();
        for (int day = 0; day < 2; day++) {
            for (int i = 0; i < 500; i++) {
                samples.add(new Sample(
                        CAR, D0.toEpochMilli() + day * DAY_MS + i * 60_000L, i, "Vehicle.Speed", new Num(i)));
            }
        }
        store.appendDurably(samples);
        assertThat(store.awaitVisible(Duration.ofSeconds(30))).isTrue();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void archivesADayOnceItEndedArchiveAfterAgoAndCountsIt() {
        ArchiveCompactor compactor = new ArchiveCompactor(store, Duration.ofDays(2), clock, metrics);

        assertThat(compactor.runOnce()).as("the first day has not ended").isEmpty();
        clock.advance(Duration.ofDays(2));
        assertThat(compactor.runOnce()).as("the first day ended 44 h ago").isEmpty();
        clock.advance(Duration.ofHours(4));
        List<ColdDay> archived = compactor.runOnce();

        assertThat(archived).extracting(ColdDay::day).containsExactly("2026-05-01");
        assertThat(metrics.value("tsunagu_history_archive_days_written_total")).isEqualTo(1);
        assertThat(metrics.value("tsunagu_history_archive_rows_written_total")).isEqualTo(500);
        assertThat(metrics.value("tsunagu_history_archive_bytes_written_total"))
                .isEqualTo(archived.getFirst().parquetBytes())
                .isPositive();
        assertThat(metrics.value("tsunagu_history_archive_days")).isEqualTo(1);
        assertThat(metrics.value("tsunagu_history_archive_bad_days")).isZero();
        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), D0.toEpochMilli(), D0.toEpochMilli() + DAY_MS, 1000))
                        .points())
                .hasSize(500);
    }

    @Test
    void refusesAnArchiveAfterThatIsNotPositive() {
        assertThatThrownBy(() -> new ArchiveCompactor(store, Duration.ZERO, clock, metrics))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archive-after");
    }
}
