package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import io.tsunagu.protocol.vss.SignalCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read paths made fast in issue 3: catalog typing, symbol strings, reused statements, fleet-wide latest. */
class QuestDbSampleStoreFastPathsTest {
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    private static final Vin OTHER_CAR = Vin.of("SALGA2EF8DA000003");
    private static final Vin THIRD_CAR = Vin.of("1HGCM82633A004352");
    private static final long DAY_MS = 86_400_000L;
    private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final String SPEED = "Vehicle.Speed";
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
    private static final String STRING_SIGNAL = "Vehicle.ADAS.ActiveAutonomyLevel";
    private static final String STRING_ARRAY_SIGNAL = "Vehicle.Cabin.Infotainment.SmartphoneProjection.SupportedMode";
    private static final String BOOLEAN_SIGNAL = "Vehicle.ADAS.ABS.IsEngaged";

    @TempDir
    Path dir;

    private QuestDbSampleStore store;

    @BeforeEach
    void open() {
        store = QuestDbSampleStore.open(dir, SignalCatalog.vss6());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void numericAggregateOverACatalogStringSignalIsRefusedWithTheSameErrorEvenWithoutStoredRows() {
        assertThatThrownBy(() -> store.query(HistoryQuery.downsampled(
                        CAR, List.of(SPEED, STRING_SIGNAL), T0, T0 + 1000, 1000, Aggregate.AVG, 10)))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("aggregate AVG needs numeric signals, but " + STRING_SIGNAL
                        + " hold text or list values; use LAST or leave them out");
        assertThatThrownBy(() -> store.query(HistoryQuery.downsampled(
                        CAR, List.of(STRING_ARRAY_SIGNAL), T0, T0 + 1000, 1000, Aggregate.MIN, 10)))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("aggregate MIN needs numeric signals, but " + STRING_ARRAY_SIGNAL + " hold");
    }

    @Test
    void numericAggregateOverCatalogNumbersAndBooleansIsAnswered() {
        append(List.of(num(CAR, T0, SPEED, 4), num(CAR, T0 + 10, SPEED, 6), bool(CAR, T0, BOOLEAN_SIGNAL, true)));

        HistoryPage page = store.query(
                HistoryQuery.downsampled(CAR, List.of(SPEED, BOOLEAN_SIGNAL), T0, T0 + 1000, 1000, Aggregate.AVG, 10));

        assertThat(page.points())
                .containsExactly(
                        new HistoryPoint(BOOLEAN_SIGNAL, T0, new Num(1)), new HistoryPoint(SPEED, T0, new Num(5)));
    }

    @Test
    void aSinglePathQueryReturnsOnlyThatSignal() {
        append(List.of(num(CAR, T0, SPEED, 1), num(CAR, T0, SOC, 80), num(CAR, T0 + 1, SPEED, 2)));

        assertThat(store.query(HistoryQuery.raw(CAR, List.of(SPEED), T0, T0 + 10, 10))
                        .points())
                .containsExactly(point(SPEED, T0, 1), point(SPEED, T0 + 1, 2));
        assertThat(store.query(HistoryQuery.downsampled(CAR, List.of(SOC), T0, T0 + 10, 10, Aggregate.MAX, 10))
                        .points())
                .containsExactly(point(SOC, T0, 80));
    }

    @Test
    void latestOfEveryCarReturnsEachCarsNewestSampleOfOneSignalOrderedByVin() {
        append(List.of(
                num(CAR, T0, SOC, 80),
                num(CAR, T0 + 5000, SOC, 79),
                num(CAR, T0 + 9000, SPEED, 50),
                num(OTHER_CAR, T0 - DAY_MS, SOC, 40),
                num(THIRD_CAR, T0, SPEED, 30)));
        append(List.of(num(OTHER_CAR, T0 - DAY_MS + 1, SOC, 41)));

        assertThat(store.latestOfEveryCar(SOC))
                .containsExactly(
                        new Sample(OTHER_CAR, T0 - DAY_MS + 1, 7, SOC, new Num(41)),
                        new Sample(CAR, T0 + 5000, 7, SOC, new Num(79)));
        assertThat(store.latestOfEveryCar("Vehicle.Unknown")).isEmpty();
    }

    @Test
    void latestOfEveryCarAgreesWithEveryCarsLatest() {
        Random random = new Random(42);
        List<Sample> samples = new ArrayList<>();
        for (Vin vin : List.of(CAR, OTHER_CAR, THIRD_CAR)) {
            for (int i = 0; i < 50; i++) {
                String path = random.nextBoolean() ? SOC : SPEED;
                samples.add(num(vin, T0 + random.nextInt(100_000), path, random.nextInt(100)));
            }
        }
        append(samples);

        List<Sample> expected = store.latestAll().values().stream()
                .flatMap(List::stream)
                .filter(sample -> sample.path().equals(SOC))
                .sorted(Comparator.comparing(sample -> sample.vin().value()))
                .toList();
        assertThat(expected).hasSize(3);
        assertThat(store.latestOfEveryCar(SOC)).isEqualTo(expected);
    }

    @Test
    void pathsStayCorrectAcrossPagesWhenNewSignalsAppearBetweenPages() {
        List<Sample> first = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 5; p++) {
                first.add(num(CAR, T0 + t, "Vehicle.S" + (4 - p), t * 10 + p));
                first.add(num(OTHER_CAR, T0 + t, "Vehicle.Other" + p, -1));
            }
        }
        append(first);
        HistoryQuery query = HistoryQuery.raw(CAR, List.of(), T0, T0 + 100, 17);
        List<HistoryPoint> all = new ArrayList<>(store.query(query).points());
        String cursor = store.query(query).nextCursor().orElseThrow();
        // new symbol keys are created after the first page: the next page must name them correctly
        append(List.of(num(CAR, T0 + 50, "Vehicle.New.A", 1), num(CAR, T0 + 50, "Vehicle.New.B", 2)));
        for (HistoryQuery next = query.after(cursor); ; ) {
            HistoryPage page = store.query(next);
            all.addAll(page.points());
            if (page.nextCursor().isEmpty()) {
                break;
            }
            next = query.after(page.nextCursor().get());
        }

        List<HistoryPoint> expected = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 5; p++) {
                expected.add(point("Vehicle.S" + p, T0 + t, t * 10 + (4 - p)));
            }
        }
        expected.add(point("Vehicle.New.A", T0 + 50, 1));
        expected.add(point("Vehicle.New.B", T0 + 50, 2));
        assertThat(all).containsExactlyElementsOf(expected);
    }

    @Test
    void aReusedStatementAnswersEachCallWithItsOwnParameters() {
        append(List.of(num(CAR, T0, SPEED, 1), num(OTHER_CAR, T0, SPEED, 2), num(OTHER_CAR, T0 + 1, SOC, 3)));

        for (int round = 0; round < 3; round++) {
            assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 10, 10))
                            .points())
                    .containsExactly(point(SPEED, T0, 1));
            assertThat(store.query(HistoryQuery.raw(OTHER_CAR, List.of(), T0, T0 + 10, 10))
                            .points())
                    .containsExactly(point(SPEED, T0, 2), point(SOC, T0 + 1, 3));
            assertThat(store.query(HistoryQuery.raw(OTHER_CAR, List.of(), T0 + 1, T0 + 10, 10))
                            .points())
                    .containsExactly(point(SOC, T0 + 1, 3));
        }
    }

    @Test
    void reusedStatementsStillAnswerAfterRetentionDroppedADay() {
        append(List.of(num(CAR, T0 - 5 * DAY_MS, SPEED, 1), num(CAR, T0, SPEED, 2)));
        HistoryQuery everything = HistoryQuery.raw(CAR, List.of(), 0, T0 + DAY_MS, 10);
        assertThat(store.query(everything).points()).hasSize(2);
        assertThat(store.latestOfEveryCar(SPEED)).hasSize(1);

        assertThat(store.retain(Duration.ofDays(2), Instant.ofEpochMilli(T0))).isEqualTo(1);

        assertThat(store.query(everything).points()).containsExactly(point(SPEED, T0, 2));
        assertThat(store.latestOfEveryCar(SPEED)).extracting(Sample::tsMs).containsExactly(T0);
    }

    @Test
    void aClosedStoreRefusesTheFleetWideRead() {
        store.close();

        assertThatThrownBy(() -> store.latestOfEveryCar(SOC)).hasMessageContaining("closed");
    }

    private void append(List<Sample> samples) {
        store.appendDurably(samples);
        assertThat(store.awaitVisible(Duration.ofSeconds(30))).isTrue();
    }

    private static Sample num(Vin vin, long tsMs, String path, double value) {
        return new Sample(vin, tsMs, 7, path, new Num(value));
    }

    private static Sample bool(Vin vin, long tsMs, String path, boolean value) {
        return new Sample(vin, tsMs, 7, path, new SignalValue.Bool(value));
    }

    private static HistoryPoint point(String path, long tsMs, double value) {
        return new HistoryPoint(path, tsMs, new Num(value));
    }
}
