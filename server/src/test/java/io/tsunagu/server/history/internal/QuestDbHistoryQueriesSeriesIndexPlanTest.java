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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A car's raw range read through the series index of the range's page frames ({@link SeriesIndexRead}, the plan above
 * the scan threshold) gives exactly the pages of the scan by time ({@link FrameScan}'s {@code vin} compare) and of the
 * stored samples: 1 Hz cars around a midnight (two day partitions), late rows appended after the others (out of
 * order, some at times already stored), series with gaps, a car with fewer signals, several samples of one signal at
 * one time (150 of them at one instant: more than a series reads ahead of a page), ranges with a boundary inside a partition and across the day boundary, and page sizes that end pages
 * inside a second.
 */
class QuestDbHistoryQueriesSeriesIndexPlanTest {
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    private static final Vin FEW_SIGNALS = Vin.of("SALGA2EF8DA000003");
    private static final Vin OTHER_CAR = Vin.of("1HGCM82633A004352");
    private static final long MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long FROM = MIDNIGHT - 10 * 60_000L;
    private static final long TO = MIDNIGHT + 10 * 60_000L;
    private static final int SIGNALS = 20;

    @TempDir
    Path dir;

    private final List<Sample> stored = new ArrayList<>();
    private CairoEngine engine;
    private QuestDbReader reader;
    private QuestDbHistoryQueries byTime;
    private QuestDbHistoryQueries byIndex;
    private long seq;

    @BeforeEach
    void loadInOrderThenLateRowsThenOpenBothPlans() {
        Random random = new Random(20261201);
        List<Sample> inOrder = new ArrayList<>();
        for (long ts = FROM; ts < TO; ts += 1_000) {
            second(random, CAR, ts, SIGNALS, inOrder);
            second(random, OTHER_CAR, ts, SIGNALS, inOrder);
            second(random, FEW_SIGNALS, ts + 250, 3, inOrder);
        }
        List<Sample> late = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // late rows, out of order, some at a time the car already has
            long ts = FROM + random.nextInt((int) (TO - FROM) / 500) * 500L;
            Vin vin = random.nextBoolean() ? CAR : FEW_SIGNALS;
            late.add(sample(random, vin, ts, "Vehicle.S" + random.nextInt(vin == CAR ? SIGNALS : 3)));
        }
        for (int i = 0; i < 3; i++) { // one signal sampled several times at the same instant
            late.add(new Sample(CAR, MIDNIGHT - 1_000, seq++, "Vehicle.S4", new SignalValue.Num(i)));
        }
        for (int i = 0; i < 150; i++) { // more samples at one instant than a series reads ahead of a page
            late.add(new Sample(CAR, MIDNIGHT + 5_000, seq++, "Vehicle.S5", new SignalValue.Num(i)));
        }
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir, SignalCatalog.vss6())) {
            store.appendDurably(inOrder);
            assertThat(store.awaitVisible(Duration.ofSeconds(30))).isTrue();
            store.appendDurably(late);
            assertThat(store.awaitVisible(Duration.ofSeconds(30))).isTrue();
        }
        stored.addAll(inOrder);
        stored.addAll(late);
        engine = new CairoEngine(new DefaultCairoConfiguration(dir.toString()));
        reader = new QuestDbReader(engine);
        SeriesDirectory series = new SeriesDirectory(engine, engine.verifyTableName(SamplesTable.NAME));
        byTime = new QuestDbHistoryQueries(
                SamplesTable.NAME, reader, new ValueColumns(), SignalCatalog.vss6(), series, Long.MAX_VALUE, () -> 0L);
        byIndex = new QuestDbHistoryQueries(
                SamplesTable.NAME, reader, new ValueColumns(), SignalCatalog.vss6(), series, -1, () -> 0L);
    }

    @AfterEach
    void close() {
        reader.close();
        engine.close();
    }

    @Test
    void theSeriesIndexGivesTheScansPagesOverBothDaysForEveryCarAndPageSize() {
        for (Vin vin : List.of(CAR, FEW_SIGNALS, OTHER_CAR)) {
            for (int limit : new int[] {333, 10_000}) {
                assertSamePages(vin, FROM, TO, limit);
            }
        }
    }

    @Test
    void rangesBoundedInsideAPartitionAndAcrossMidnightGiveTheSameRowsByBothPlans() {
        assertSamePages(CAR, FROM + 90_500, FROM + 240_000, 7); // inside the first day, from mid-second
        assertSamePages(CAR, MIDNIGHT - 45_250, MIDNIGHT + 30_000, 19); // across the day boundary
        assertSamePages(FEW_SIGNALS, MIDNIGHT - 20_000, MIDNIGHT + 20_000, 1);
        assertSamePages(CAR, MIDNIGHT, MIDNIGHT + 10_000, 1); // pages inside a burst of 150 samples at one time
        assertSamePages(CAR, MIDNIGHT + 4_000, MIDNIGHT + 7_000, 100);
        assertSamePages(CAR, MIDNIGHT + 60_000, TO + 3_600_000, 500); // past the data's end
        assertSamePages(Vin.of("JH4KA7561PC008269"), FROM, TO, 100); // a car without history: empty
    }

    private void assertSamePages(Vin vin, long from, long to, int limit) {
        HistoryQuery query = HistoryQuery.raw(vin, List.of(), from, to, limit);
        List<HistoryPoint> expected = expected(vin, from, to);
        assertThat(RawPages.all(byIndex, query))
                .as("series index, %s [%d, %d) limit %d", vin, from, to, limit)
                .containsExactlyElementsOf(expected);
        assertThat(RawPages.all(byTime, query))
                .as("by time, %s [%d, %d) limit %d", vin, from, to, limit)
                .containsExactlyElementsOf(expected);
    }

    /** One second of {@code vin}: its signals, each with a gap of a few seconds now and then. */
    private void second(Random random, Vin vin, long ts, int signals, List<Sample> into) {
        for (int s = 0; s < signals; s++) {
            if ((ts / 1_000 + s * 7) % 97 >= 4) {
                into.add(sample(random, vin, ts, "Vehicle.S" + s));
            }
        }
    }

    private Sample sample(Random random, Vin vin, long ts, String path) {
        SignalValue value = random.nextInt(20) == 0
                ? new SignalValue.Text("t" + random.nextInt(100))
                : new SignalValue.Num(random.nextInt(1_000) / 4.0);
        return new Sample(vin, ts, seq++, path, value);
    }

    private List<HistoryPoint> expected(Vin vin, long from, long to) {
        return RawPages.expected(stored, vin, List.of(), from, to);
    }
}
