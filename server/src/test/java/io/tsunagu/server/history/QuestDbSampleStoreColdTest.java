package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
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

/** Cold days in Parquet: what is converted, and that every read and a late write see the same rows as before. */
class QuestDbSampleStoreColdTest {
    private static final long DAY_MS = 86_400_000L;
    private static final long D0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final Instant NOW = Instant.ofEpochMilli(D0 + 3 * DAY_MS + DAY_MS / 2);
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    private static final Vin OTHER_CAR = Vin.of("SALGA2EF8DA000003");
    /** Reports only on the first day, so its latest values come from a day that will be Parquet. */
    private static final Vin OLD_CAR = Vin.of("1HGCM82633A004352");

    private static final List<Vin> CARS = List.of(CAR, OTHER_CAR, OLD_CAR);
    private static final String SPEED = "Vehicle.Speed";
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
    private static final String GEAR = "Vehicle.Powertrain.Transmission.SelectedGear";
    private static final String STATE = "Vehicle.Cabin.Infotainment.Media.Played.Source";
    private static final List<String> PATHS = List.of(SPEED, SOC, GEAR, STATE);
    private static final int POINTS_PER_DAY = 600;

    @TempDir
    Path dir;

    private QuestDbSampleStore store;

    @BeforeEach
    void open() {
        store = QuestDbSampleStore.open(dir);
        appendVisible(store, fourDays());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void convertsTheClosedDaysOlderThanColdAfterAndNoOthers() {
        List<ColdDay> converted = store.convertColdDays(Duration.ofDays(1), NOW);

        assertThat(converted).extracting(ColdDay::day).containsExactly("2026-03-01", "2026-03-02");
        assertThat(converted).allSatisfy(day -> {
            assertThat(day.rows()).isPositive();
            assertThat(day.parquetBytes()).isPositive().isLessThan(day.nativeBytes());
        });
        assertThat(store.coldDays()).isEqualTo(2);
        assertThat(store.convertColdDays(Duration.ofDays(1), NOW))
                .as("a second run finds nothing new")
                .isEmpty();
    }

    @Test
    void neverConvertsTheDayBeingWrittenEvenWhenItIsOlderThanColdAfter() {
        List<ColdDay> converted = store.convertColdDays(Duration.ofDays(1), NOW.plus(Duration.ofDays(30)));

        assertThat(converted)
                .extracting(ColdDay::day)
                .doesNotContain("2026-03-04")
                .hasSize(3);
        appendVisible(store, List.of(new Sample(CAR, D0 + 3 * DAY_MS + 5, 99, SPEED, new Num(42))));
        assertThat(rawDay(CAR, 3)).contains(new HistoryPoint(SPEED, D0 + 3 * DAY_MS + 5, new Num(42)));
    }

    @Test
    void everyQueryKindReturnsTheSameRowsAfterConversion() {
        List<Object> before = everyAnswer();

        assertThat(store.convertColdDays(Duration.ofDays(1), NOW)).hasSize(2);

        assertThat(everyAnswer()).containsExactlyElementsOf(before);
    }

    @Test
    void lateSamplesForAConvertedDayAreStoredOnceAndTheDayIsConvertedAgain() {
        store.convertColdDays(Duration.ofDays(1), NOW);
        long lateTs = D0 + 1234;
        Sample late = new Sample(CAR, lateTs, 900_001, SPEED, new Num(77.5));
        Sample resent = fourDays().getFirst(); // a car re-sending a batch already stored
        List<HistoryPoint> dayBefore = rawDay(resent.vin(), 0);

        appendVisible(store, List.of(late, resent));
        appendVisible(store, List.of(resent));

        assertThat(store.coldDaysThawed()).isEqualTo(1);
        List<HistoryPoint> dayAfter = rawDay(CAR, 0);
        assertThat(dayAfter).hasSize(dayBefore.size() + 1).contains(new HistoryPoint(SPEED, lateTs, new Num(77.5)));
        assertThat(store.convertColdDays(Duration.ofDays(1), NOW))
                .extracting(ColdDay::day)
                .containsExactly("2026-03-01");
        assertThat(rawDay(CAR, 0)).containsExactlyElementsOf(dayAfter);
    }

    @Test
    void aRestartKeepsConvertedDaysTheirRowsAndLateWrites() {
        store.convertColdDays(Duration.ofDays(1), NOW);
        List<Object> before = everyAnswer();

        store.close();
        store = QuestDbSampleStore.open(dir);

        assertThat(store.coldDays()).isEqualTo(2);
        assertThat(everyAnswer()).containsExactlyElementsOf(before);
        appendVisible(store, List.of(new Sample(OLD_CAR, D0 + DAY_MS + 7, 900_002, SOC, new Num(12.5))));
        assertThat(store.coldDaysThawed()).isEqualTo(1);
        assertThat(rawDay(OLD_CAR, 1)).containsExactly(new HistoryPoint(SOC, D0 + DAY_MS + 7, new Num(12.5)));
    }

    @Test
    void retentionDropsConvertedDaysToo() {
        store.convertColdDays(Duration.ofDays(1), NOW);

        assertThat(store.retain(Duration.ofDays(1), NOW)).isEqualTo(2);

        assertThat(store.coldDays()).isZero();
        assertThat(rawDay(CAR, 0)).isEmpty();
        assertThat(rawDay(CAR, 2)).isNotEmpty();
    }

    @Test
    void refusesAColdAfterThatIsNotPositive() {
        assertThatThrownBy(() -> store.convertColdDays(Duration.ZERO, NOW)).hasMessageContaining("cold-after");
    }

    /** Raw pages (followed through their cursors), every aggregate at two steps, and the three LATEST kinds. */
    private List<Object> everyAnswer() {
        List<Object> answers = new ArrayList<>();
        long from = D0 - DAY_MS;
        long to = D0 + 5 * DAY_MS;
        for (Vin vin : CARS) {
            answers.add(allPages(HistoryQuery.raw(vin, List.of(), from, to, 700)));
            answers.add(allPages(HistoryQuery.raw(vin, List.of(SPEED, STATE), from, to, 10_000)));
            for (Aggregate aggregate : List.of(Aggregate.MIN, Aggregate.MAX, Aggregate.AVG)) {
                answers.add(allPages(HistoryQuery.downsampled(
                        vin, List.of(SPEED, SOC, GEAR), from, to, 3_600_000, aggregate, 10_000)));
            }
            answers.add(allPages(HistoryQuery.downsampled(vin, PATHS, from, to, 60_000, Aggregate.LAST, 500)));
            answers.add(store.latest(vin));
            for (int day = 0; day < 4; day++) {
                answers.add(rawDay(vin, day)); // a range inside one Parquet day
            }
        }
        PATHS.forEach(path -> answers.add(store.latestOfEveryCar(path)));
        answers.add(store.latestAll());
        return answers;
    }

    private List<HistoryPoint> allPages(HistoryQuery first) {
        List<HistoryPoint> points = new ArrayList<>();
        HistoryPage page = store.query(first);
        points.addAll(page.points());
        while (page.nextCursor().isPresent()) {
            page = store.query(first.after(page.nextCursor().get()));
            points.addAll(page.points());
        }
        return points;
    }

    private List<HistoryPoint> rawDay(Vin vin, int day) {
        long from = D0 + day * DAY_MS;
        return allPages(HistoryQuery.raw(vin, List.of(), from, from + DAY_MS, 10_000));
    }

    /** Four days of seeded data; the old car only on the first day. Sequence numbers are unique per car. */
    private static List<Sample> fourDays() {
        Random random = new Random(11);
        List<Sample> samples = new ArrayList<>();
        long[] seq = new long[CARS.size()];
        for (int day = 0; day < 4; day++) {
            for (int i = 0; i < POINTS_PER_DAY; i++) {
                long ts = D0 + day * DAY_MS + i * 97_000L + random.nextInt(1000);
                for (int c = 0; c < CARS.size(); c++) {
                    if (CARS.get(c) == OLD_CAR && day > 0) {
                        continue;
                    }
                    samples.add(new Sample(CARS.get(c), ts, seq[c]++, SPEED, new Num(random.nextInt(1800) / 10.0)));
                    samples.add(new Sample(CARS.get(c), ts, seq[c]++, SOC, new Num(20 + random.nextDouble() * 80)));
                    samples.add(new Sample(CARS.get(c), ts, seq[c]++, GEAR, new Num(random.nextInt(7) - 1)));
                    if (i % 10 == 0) {
                        String source = List.of("RADIO", "BLUETOOTH", "USB").get(random.nextInt(3));
                        samples.add(new Sample(CARS.get(c), ts, seq[c]++, STATE, new SignalValue.Text(source)));
                    }
                }
            }
        }
        return samples;
    }

    /** Appends and waits until reads see the samples (appends are acknowledged before the table apply). */
    private static void appendVisible(QuestDbSampleStore store, List<Sample> samples) {
        store.appendDurably(samples);
        assertThat(store.awaitVisible(Duration.ofSeconds(30)))
                .as("applied within 30 s")
                .isTrue();
    }
}
