package io.tsunagu.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.history.HistoryPoint;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.history.QuestDbSampleStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A car's raw range is read by one of three plans: by time with a {@code vin} filter (few rows in the range), one index
 * cursor per series merged in time order (up to 32 series), or QuestDB's sorted {@code series IN (...)} (more series).
 * Every plan must give exactly the rows, order and pages of the stored samples, across day partitions, equal times,
 * several samples of one signal at one time, and cursors. The data is written through the store, then read by
 * queries built over the same directory with the scan threshold forced either way.
 */
class QuestDbHistoryQueriesRawPlansTest {
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    private static final Vin WIDE_CAR = Vin.of("SALGA2EF8DA000003");
    private static final Vin OTHER_CAR = Vin.of("1HGCM82633A004352");
    private static final long T0 = Instant.parse("2026-03-01T22:00:00Z").toEpochMilli();
    private static final long SPAN_MS = 30 * 3_600_000L; // crosses two midnights' partitions
    private static final int MERGED_SERIES = 20;
    private static final int SORTED_SERIES = 40;

    @TempDir
    Path dir;

    private final List<Sample> stored = new ArrayList<>();
    private CairoEngine engine;
    private QuestDbReader reader;
    private QuestDbHistoryQueries byTime;
    private QuestDbHistoryQueries byIndex;

    @BeforeEach
    void loadThenOpenTheQueries() {
        Random random = new Random(20261201);
        long seq = 0;
        for (int i = 0; i < 4_000; i++) {
            long ts = T0 + (long) (random.nextDouble() * SPAN_MS) / 500 * 500; // coarse: many equal times
            stored.add(sample(random, CAR, ts, "Vehicle.S" + random.nextInt(MERGED_SERIES), seq++));
            stored.add(sample(random, WIDE_CAR, ts, "Vehicle.W" + random.nextInt(SORTED_SERIES), seq++));
            stored.add(sample(random, OTHER_CAR, ts, "Vehicle.S" + random.nextInt(MERGED_SERIES), seq++));
        }
        for (int i = 0; i < 3; i++) { // one signal sampled several times at the same instant (distinct seq)
            stored.add(new Sample(CAR, T0 + 1_000, seq++, "Vehicle.S3", new SignalValue.Num(i)));
        }
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir, SignalCatalog.vss6())) {
            store.appendDurably(stored);
            assertThat(store.awaitVisible(Duration.ofSeconds(30))).isTrue();
        }
        engine = new CairoEngine(new DefaultCairoConfiguration(dir.toString()));
        reader = new QuestDbReader(engine);
        SeriesDirectory series = new SeriesDirectory(engine, engine.verifyTableName(SamplesTable.NAME));
        byTime = queries(series, Long.MAX_VALUE);
        byIndex = queries(series, -1);
    }

    @AfterEach
    void close() {
        reader.close();
        engine.close();
    }

    private QuestDbHistoryQueries queries(SeriesDirectory series, long scanMaxRows) {
        return new QuestDbHistoryQueries(
                SamplesTable.NAME, reader, new ValueColumns(), SignalCatalog.vss6(), series, scanMaxRows, () -> 0L);
    }

    @Test
    void aCarsSeriesMergedInTimeOrderAndItsRowsScannedByTimeGiveTheStoredRowsOnEveryPageSize() {
        for (int limit : new int[] {1, 7, 500, 10_000}) {
            HistoryQuery query = HistoryQuery.raw(CAR, List.of(), T0, T0 + SPAN_MS, limit);
            List<HistoryPoint> expected = expected(CAR, List.of(), T0, T0 + SPAN_MS);
            assertThat(RawPages.all(byIndex, query))
                    .as("merged, limit %d", limit)
                    .containsExactlyElementsOf(expected);
            assertThat(RawPages.all(byTime, query))
                    .as("by time, limit %d", limit)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void moreSeriesThanTheMergeTakesAreSortedByTheEngineWithTheSameAnswer() {
        for (int limit : new int[] {3, 10_000}) {
            HistoryQuery query = HistoryQuery.raw(WIDE_CAR, List.of(), T0, T0 + SPAN_MS, limit);
            List<HistoryPoint> expected = expected(WIDE_CAR, List.of(), T0, T0 + SPAN_MS);
            assertThat(RawPages.all(byIndex, query))
                    .as("sorted, limit %d", limit)
                    .containsExactlyElementsOf(expected);
            assertThat(RawPages.all(byTime, query))
                    .as("by time, limit %d", limit)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void namedPathsAndAnInnerRangeAreMergedToTheSameRowsAsTheStoredOnesEvenWhenTheRangeIsSmall() {
        List<String> paths = List.of("Vehicle.S3", "Vehicle.S11", "Vehicle.Unknown");
        long from = T0 + 90 * 60_000L; // across the first midnight
        long to = T0 + 7 * 3_600_000L;
        assertThat(RawPages.all(byTime, HistoryQuery.raw(CAR, paths, from, to, 13)))
                .isNotEmpty()
                .containsExactlyElementsOf(expected(CAR, paths, from, to));
    }

    @Test
    void repeatedMergedReadsGiveTheirTableReadersBack() {
        List<HistoryPoint> first = RawPages.all(byIndex, HistoryQuery.raw(CAR, List.of(), T0, T0 + SPAN_MS, 100));
        for (int i = 0; i < 30; i++) { // 30 × 41 pages × 20 cursors: far more readers than the engine's pool holds
            assertThat(RawPages.all(byIndex, HistoryQuery.raw(CAR, List.of(), T0, T0 + SPAN_MS, 100)))
                    .containsExactlyElementsOf(first);
        }
    }

    @Test
    void aPageReadWhileTheApplierRunsFallsBackToOneStatementWithTheSameAnswer() {
        SeriesDirectory series = new SeriesDirectory(engine, engine.verifyTableName(SamplesTable.NAME));
        AtomicLong version = new AtomicLong();
        // every read of the version sees a new apply (a busy applier), or one in progress (odd)
        QuestDbHistoryQueries busy = new QuestDbHistoryQueries(
                SamplesTable.NAME,
                reader,
                new ValueColumns(),
                SignalCatalog.vss6(),
                series,
                Long.MAX_VALUE,
                () -> version.getAndAdd(2));
        QuestDbHistoryQueries applying = new QuestDbHistoryQueries(
                SamplesTable.NAME, reader, new ValueColumns(), SignalCatalog.vss6(), series, Long.MAX_VALUE, () -> 1L);
        List<String> paths = List.of("Vehicle.S3", "Vehicle.S11");
        for (QuestDbHistoryQueries queries : List.of(busy, applying)) {
            assertThat(RawPages.all(queries, HistoryQuery.raw(CAR, List.of(), T0, T0 + SPAN_MS, 500)))
                    .containsExactlyElementsOf(expected(CAR, List.of(), T0, T0 + SPAN_MS));
            assertThat(RawPages.all(queries, HistoryQuery.raw(CAR, paths, T0, T0 + SPAN_MS, 500)))
                    .containsExactlyElementsOf(expected(CAR, paths, T0, T0 + SPAN_MS));
        }
        assertThat(version.get()).as("the busy applier's version was checked").isGreaterThan(0);
    }

    private List<HistoryPoint> expected(Vin vin, List<String> paths, long from, long to) {
        return RawPages.expected(stored, vin, paths, from, to);
    }

    private static Sample sample(Random random, Vin vin, long ts, String path, long seq) {
        SignalValue value = random.nextInt(10) == 0
                ? new SignalValue.Text("t" + random.nextInt(100))
                : new SignalValue.Num(random.nextInt(1_000) / 4.0);
        return new Sample(vin, ts, seq, path, value);
    }
}
