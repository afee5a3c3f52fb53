package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.wal.WalWriter;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestDbSampleStoreTest {
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    private static final Vin OTHER_CAR = Vin.of("SALGA2EF8DA000003");
    private static final long DAY_MS = 86_400_000L;
    private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final String SPEED = "Vehicle.Speed";
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";

    @TempDir
    Path dir;

    private QuestDbSampleStore store;

    @BeforeEach
    void open() {
        store = QuestDbSampleStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void readsBackEveryValueTypeExactly() {
        List<Sample> samples = List.of(
                sample(CAR, T0, 1, "Vehicle.A", new Num(0.1 + 0.2)),
                sample(CAR, T0, 1, "Vehicle.B", new Num(Double.MIN_VALUE)),
                sample(CAR, T0, 1, "Vehicle.C", new Num(-1.7976931348623157E308)),
                sample(CAR, T0, 1, "Vehicle.D", new SignalValue.Bool(true)),
                sample(CAR, T0, 1, "Vehicle.E", new SignalValue.Bool(false)),
                sample(CAR, T0, 1, "Vehicle.F", new SignalValue.Text("Grüße, \"quoted\"")),
                sample(CAR, T0, 1, "Vehicle.G", new SignalValue.Text("")),
                sample(CAR, T0, 1, "Vehicle.H", new SignalValue.TextList(List.of("a", "b,c"))),
                sample(CAR, T0, 1, "Vehicle.I", new SignalValue.NumList(List.of(1.5, 0.1 + 0.2, -3.0))));
        append(samples);

        HistoryPage page = store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 1, 100));

        assertThat(page.points())
                .extracting(HistoryPoint::value)
                .containsExactlyElementsOf(samples.stream().map(Sample::value).toList());
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void returnsOutOfOrderSamplesInTimeThenPathOrder() {
        append(List.of(num(CAR, T0 + 3000, SPEED, 3), num(CAR, T0 + 1000, SPEED, 1), num(CAR, T0 + 1000, SOC, 80)));
        append(List.of(num(CAR, T0 + 2000, SPEED, 2), num(CAR, T0 - DAY_MS, SPEED, 0)));

        List<HistoryPoint> points = store.query(HistoryQuery.raw(CAR, List.of(), T0 - DAY_MS, T0 + DAY_MS, 100))
                .points();

        assertThat(points)
                .containsExactly(
                        point(SPEED, T0 - DAY_MS, 0),
                        point(SOC, T0 + 1000, 80),
                        point(SPEED, T0 + 1000, 1),
                        point(SPEED, T0 + 2000, 2),
                        point(SPEED, T0 + 3000, 3));
    }

    @Test
    void filtersByCarPathAndHalfOpenTimeRange() {
        append(List.of(
                num(CAR, T0, SPEED, 1),
                num(CAR, T0, SOC, 50),
                num(CAR, T0 + 1000, SPEED, 2),
                num(OTHER_CAR, T0, SPEED, 99)));

        List<HistoryPoint> points = store.query(HistoryQuery.raw(CAR, List.of(SPEED), T0, T0 + 1000, 100))
                .points();

        assertThat(points).containsExactly(point(SPEED, T0, 1));
    }

    @Test
    void storesARepeatedSampleOnceAlsoAfterReopen() {
        List<Sample> batch = List.of(
                num(CAR, T0, SPEED, 1),
                new Sample(CAR, T0 + 1, Sample.NO_SEQ, SPEED, new Num(2)),
                new Sample(CAR, T0 + 1, Sample.NO_SEQ, SPEED, new Num(2)));
        append(batch);
        append(batch);
        store.close();
        store = QuestDbSampleStore.open(dir);
        append(batch);

        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 10, 100))
                        .points())
                .containsExactly(point(SPEED, T0, 1), point(SPEED, T0 + 1, 2));
    }

    @Test
    void keepsSamplesWithTheSameTimeButDifferentSequenceNumbers() {
        append(List.of(new Sample(CAR, T0, 2, SPEED, new Num(20)), new Sample(CAR, T0, 1, SPEED, new Num(10))));

        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 1, 100))
                        .points())
                .containsExactly(point(SPEED, T0, 10), point(SPEED, T0, 20));
    }

    @Test
    void keepsDataAcrossReopen() {
        append(List.of(num(CAR, T0, SPEED, 42), num(CAR, T0 + DAY_MS, SPEED, 43)));
        store.close();

        store = QuestDbSampleStore.open(dir);

        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 2 * DAY_MS, 100))
                        .points())
                .containsExactly(point(SPEED, T0, 42), point(SPEED, T0 + DAY_MS, 43));
    }

    @Test
    void appliesWalCommittedButNotAppliedBeforeACrashWhenReopened() {
        append(List.of(num(CAR, T0, SPEED, 1)));
        store.close();
        // A commit that reached the write-ahead log, after which the process died before applying it to the table.
        try (CairoEngine engine = new CairoEngine(new DefaultCairoConfiguration(dir.toString()));
                WalWriter wal = engine.getWalWriter(engine.verifyTableName("samples"))) {
            TableWriter.Row row = wal.newRow((T0 + 1) * 1000);
            row.putSym(1, CAR.value());
            row.putSym(2, SPEED);
            row.putLong(3, 7);
            row.putByte(4, (byte) 0);
            row.putDouble(5, 2);
            row.append();
            wal.commit();
        }

        store = QuestDbSampleStore.open(dir);

        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 10, 100))
                        .points())
                .containsExactly(point(SPEED, T0, 1), point(SPEED, T0 + 1, 2));
    }

    @Test
    void awaitVisibleCoversEveryAppendCompletedBeforeIt() {
        for (int i = 0; i < 200; i++) {
            store.appendDurably(List.of(num(CAR, T0 + i, SPEED, i)));
        }

        assertThat(store.awaitVisible(VISIBLE_WITHIN)).isTrue();

        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 1000, 1000))
                        .points())
                .hasSize(200);
    }

    @Test
    void readsDuringAppendsSeeWholeAppendsInAppendOrder() throws InterruptedException {
        int appends = 150;
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger seen = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (seen.get() < appends && violations.isEmpty()) {
                List<HistoryPoint> points = store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + appends, 1000))
                        .points();
                // append i stored SPEED and SOC at T0 + i: a read must see appends 0..n-1 complete, nothing else
                List<Long> times =
                        points.stream().map(HistoryPoint::tsMs).distinct().toList();
                boolean prefix = points.size() == 2 * times.size()
                        && times.equals(
                                LongStream.range(T0, T0 + times.size()).boxed().toList());
                if (!prefix || times.size() < seen.get()) {
                    violations.add("read " + points.size() + " points over " + times);
                }
                seen.set(times.size());
            }
        });
        for (int i = 0; i < appends; i++) {
            store.appendDurably(List.of(num(CAR, T0 + i, SPEED, i), num(CAR, T0 + i, SOC, i)));
        }
        reader.join(VISIBLE_WITHIN.toMillis());

        assertThat(violations).isEmpty();
        assertThat(seen).as("appends the reader saw").hasValue(appends);
    }

    @Test
    void downsamplesNumericSignalsIntoEpochAlignedBuckets() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(num(CAR, T0 + i * 1000L, SPEED, i));
        }
        samples.add(new Sample(CAR, T0 + 500, 1, "Vehicle.IsMoving", new SignalValue.Bool(true)));
        samples.add(new Sample(CAR, T0 + 600, 1, "Vehicle.IsMoving", new SignalValue.Bool(false)));
        append(samples);

        assertThat(downsample(Aggregate.MIN, SPEED)).containsExactly(0.0, 4.0, 8.0);
        assertThat(downsample(Aggregate.MAX, SPEED)).containsExactly(3.0, 7.0, 9.0);
        assertThat(downsample(Aggregate.AVG, SPEED)).containsExactly(1.5, 5.5, 8.5);
        assertThat(downsample(Aggregate.LAST, SPEED)).containsExactly(3.0, 7.0, 9.0);
        assertThat(downsample(Aggregate.AVG, "Vehicle.IsMoving")).containsExactly(0.5);
        HistoryPage buckets =
                store.query(HistoryQuery.downsampled(CAR, List.of(SPEED), T0, T0 + 10_000, 4000, Aggregate.MIN, 10));
        assertThat(buckets.points()).extracting(HistoryPoint::tsMs).containsExactly(T0, T0 + 4000, T0 + 8000);
    }

    @Test
    void downsamplesTextSignalsWithLastKeepingTheirType() {
        append(List.of(
                text(CAR, T0, "Vehicle.Gear", "P"), text(CAR, T0 + 10, "Vehicle.Gear", "D"), num(CAR, T0, SPEED, 5)));

        HistoryPage last =
                store.query(HistoryQuery.downsampled(CAR, List.of(), T0, T0 + 1000, 1000, Aggregate.LAST, 10));

        assertThat(last.points())
                .containsExactly(
                        new HistoryPoint("Vehicle.Gear", T0, new SignalValue.Text("D")),
                        new HistoryPoint(SPEED, T0, new Num(5)));
    }

    @Test
    void numericAggregateSkipsTextSignalsWhenAllSignalsAreAskedAndRejectsNamedOnes() {
        append(List.of(text(CAR, T0, "Vehicle.Gear", "P"), num(CAR, T0, SPEED, 5)));

        HistoryPage all = store.query(HistoryQuery.downsampled(CAR, List.of(), T0, T0 + 1000, 1000, Aggregate.AVG, 10));
        assertThat(all.points()).containsExactly(point(SPEED, T0, 5));

        assertThatThrownBy(() -> store.query(HistoryQuery.downsampled(
                        CAR, List.of(SPEED, "Vehicle.Gear"), T0, T0 + 1000, 1000, Aggregate.MAX, 10)))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("aggregate MAX needs numeric signals, but Vehicle.Gear hold text or list values");
    }

    @Test
    void pagesThroughRawSamplesReturningEveryPointExactlyOnce() {
        List<Sample> samples = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            for (int p = 0; p < 3; p++) {
                samples.add(new Sample(CAR, T0 + t * 10L, 1, "Vehicle.S" + p, new Num(t * 10 + p)));
                samples.add(new Sample(CAR, T0 + t * 10L, 2, "Vehicle.S" + p, new Num(-1000 - (t * 10 + p))));
            }
        }
        append(samples.reversed());

        List<HistoryPoint> all = readAllPages(HistoryQuery.raw(CAR, List.of(), T0, T0 + 1000, 7));

        assertThat(all).hasSize(120).doesNotHaveDuplicates();
        assertThat(all.subList(0, 6))
                .extracting(HistoryPoint::path)
                .containsExactly("Vehicle.S0", "Vehicle.S0", "Vehicle.S1", "Vehicle.S1", "Vehicle.S2", "Vehicle.S2");
        assertThat(all).extracting(HistoryPoint::tsMs).isSorted();
    }

    @Test
    void pagesThroughDownsampledBuckets() {
        List<Sample> samples = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            for (int p = 0; p < 3; p++) {
                samples.add(num(CAR, T0 + t * 100L, "Vehicle.S" + p, t));
            }
        }
        append(samples);

        List<HistoryPoint> all =
                readAllPages(HistoryQuery.downsampled(CAR, List.of(), T0, T0 + 10_000, 1000, Aggregate.MAX, 4));

        assertThat(all).hasSize(30).doesNotHaveDuplicates();
        assertThat(all.get(29)).isEqualTo(point("Vehicle.S2", T0 + 9000, 99));
    }

    @Test
    void rejectsACursorItDidNotIssue() {
        assertThatThrownBy(() -> store.query(
                        HistoryQuery.raw(CAR, List.of(), T0, T0 + 1, 10).after("not-a-cursor")))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("cursor");
    }

    @Test
    void retentionDropsWholeDaysOlderThanTheRetention() {
        append(List.of(
                num(CAR, T0 - 3 * DAY_MS + 5, SPEED, 1),
                num(CAR, T0 - 2 * DAY_MS + 5, SPEED, 2),
                num(CAR, T0 - DAY_MS + 5, SPEED, 3),
                num(CAR, T0 + 5, SPEED, 4)));
        Instant now = Instant.ofEpochMilli(T0 + DAY_MS / 2);

        long dropped = store.retain(Duration.ofDays(2), now);

        assertThat(dropped).isEqualTo(1);
        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), 0, T0 + DAY_MS, 100))
                        .points())
                .extracting(HistoryPoint::tsMs)
                .containsExactly(T0 - 2 * DAY_MS + 5, T0 - DAY_MS + 5, T0 + 5);
        assertThat(store.retain(Duration.ofDays(2), now)).isZero();
    }

    @Test
    void latestPicksTheNewestSamplePerSignalEvenWhenAppendedOutOfOrder() {
        append(List.of(num(CAR, T0 + 2000, SPEED, 20), num(CAR, T0 + 1000, SOC, 80)));
        append(List.of(num(CAR, T0 + 1000, SPEED, 10), num(CAR, T0 - DAY_MS, SOC, 90)));
        append(List.of(num(OTHER_CAR, T0, SPEED, 99)));

        assertThat(store.latest(CAR)).containsExactly(num(CAR, T0 + 1000, SOC, 80), num(CAR, T0 + 2000, SPEED, 20));
        assertThat(store.latest(Vin.of("WVWZZZ1JZXW999999"))).isEmpty();
        assertThat(store.latestAll())
                .containsOnlyKeys(CAR, OTHER_CAR)
                .containsEntry(OTHER_CAR, List.of(num(OTHER_CAR, T0, SPEED, 99)))
                .containsEntry(CAR, store.latest(CAR));
    }

    @Test
    void appendsOneHundredThousandSamplesInOneCall() {
        List<Sample> samples = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            samples.add(new Sample(CAR, T0 + i / 20, i / 20, "Vehicle.S" + (i % 20), new Num(i)));
        }

        append(samples);

        HistoryPage page =
                store.query(HistoryQuery.downsampled(CAR, List.of(), T0, T0 + DAY_MS, DAY_MS, Aggregate.MAX, 100));
        assertThat(page.points()).hasSize(20);
        assertThat(page.points().get(19)).isEqualTo(point("Vehicle.S9", T0, 99_989));
    }

    /** Appends durably, then waits (bounded) until reads see it: the store applies appends in the background. */
    private void append(List<Sample> samples) {
        store.appendDurably(samples);
        assertThat(store.awaitVisible(VISIBLE_WITHIN))
                .as("appended samples visible")
                .isTrue();
    }

    private List<HistoryPoint> readAllPages(HistoryQuery first) {
        List<HistoryPoint> all = new ArrayList<>();
        HistoryQuery query = first;
        for (int pages = 0; pages < 1000; pages++) {
            HistoryPage page = store.query(query);
            assertThat(page.points()).hasSizeLessThanOrEqualTo(first.limit());
            all.addAll(page.points());
            if (page.nextCursor().isEmpty()) {
                return all;
            }
            query = first.after(page.nextCursor().get());
        }
        throw new AssertionError("paging did not end");
    }

    private List<Double> downsample(Aggregate aggregate, String path) {
        HistoryPage page =
                store.query(HistoryQuery.downsampled(CAR, List.of(path), T0, T0 + 10_000, 4000, aggregate, 10));
        return page.points().stream().map(p -> ((Num) p.value()).value()).toList();
    }

    private static Sample num(Vin vin, long tsMs, String path, double value) {
        return new Sample(vin, tsMs, 7, path, new Num(value));
    }

    private static Sample text(Vin vin, long tsMs, String path, String value) {
        return new Sample(vin, tsMs, 7, path, new SignalValue.Text(value));
    }

    private static Sample sample(Vin vin, long tsMs, long seq, String path, SignalValue value) {
        return new Sample(vin, tsMs, seq, path, value);
    }

    private static HistoryPoint point(String path, long tsMs, double value) {
        return new HistoryPoint(path, tsMs, new Num(value));
    }
}
