package io.tsunagu.server.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TwinStoreTest {
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    private static final Vin OTHER_CAR = Vin.of("SALGA2EF8DA000003");
    private static final String SPEED = "Vehicle.Speed";
    private static final String TEMP = "Vehicle.Cabin.HVAC.AmbientAirTemperature";
    private static final long T0 = 1_770_000_000_000L;

    private final TwinStore twins = new TwinStore();

    @Test
    void outOfOrderSamplesNeverMoveTheTwinBackwards() {
        twins.apply(CAR, List.of(sample(T0 + 2000, 1, SPEED, 50)));
        twins.apply(CAR, List.of(sample(T0 + 1000, 2, SPEED, 10), sample(T0 + 500, 3, TEMP, 21)));

        Twin twin = twins.get(CAR).orElseThrow();

        assertThat(twin.reported())
                .containsExactly(
                        Map.entry(TEMP, new TwinValue(new Num(21), T0 + 500)),
                        Map.entry(SPEED, new TwinValue(new Num(50), T0 + 2000)));
        assertThat(twin.lastSeen()).contains(Instant.ofEpochMilli(T0 + 2000));
    }

    @Test
    void readsShareOneSnapshotUntilTheTwinChanges() {
        twins.apply(CAR, List.of(sample(T0, 1, SPEED, 5)));
        Twin first = twins.get(CAR).orElseThrow();
        assertThat(twins.get(CAR).orElseThrow()).isSameAs(first);

        twins.apply(CAR, List.of(sample(T0 + 1, 2, SPEED, 6)));
        Twin afterSample = twins.get(CAR).orElseThrow();
        twins.connectionChanged(CAR, true, Instant.ofEpochMilli(T0 + 2));
        Twin afterConnect = twins.get(CAR).orElseThrow();
        twins.setDesired(CAR, TEMP, new Num(22), Instant.ofEpochMilli(T0 + 3));
        Twin afterDesired = twins.get(CAR).orElseThrow();
        twins.clearDesired(CAR, TEMP);
        Twin afterClear = twins.get(CAR).orElseThrow();

        assertThat(afterSample).isNotSameAs(first);
        assertThat(afterSample.reported().get(SPEED)).isEqualTo(new TwinValue(new Num(6), T0 + 1));
        assertThat(afterConnect).isNotSameAs(afterSample);
        assertThat(afterConnect.online()).isTrue();
        assertThat(afterDesired).isNotSameAs(afterConnect);
        assertThat(afterDesired.desired()).containsKey(TEMP);
        assertThat(afterClear).isNotSameAs(afterDesired);
        assertThat(afterClear.desired()).isEmpty();
        assertThat(twins.get(CAR).orElseThrow()).isSameAs(afterClear);
    }

    @Test
    void reapplyingTheSameSamplesChangesNothing() {
        List<Sample> batch = List.of(sample(T0, 1, SPEED, 5), sample(T0 + 1, 2, SPEED, 6));
        twins.apply(CAR, batch);
        Twin once = twins.get(CAR).orElseThrow();

        twins.apply(CAR, batch);
        twins.apply(CAR, batch.reversed());

        assertThat(twins.get(CAR)).contains(once);
        assertThat(once.reported().get(SPEED)).isEqualTo(new TwinValue(new Num(6), T0 + 1));
    }

    @Test
    void samplesWithTheSameTimeResolveToTheHigherSequenceNumberInAnyOrder() {
        twins.apply(CAR, List.of(sample(T0, 9, SPEED, 90), sample(T0, 3, SPEED, 30)));
        twins.apply(OTHER_CAR, List.of(new Sample(OTHER_CAR, T0, 3, SPEED, new Num(30))));
        twins.apply(OTHER_CAR, List.of(new Sample(OTHER_CAR, T0, 9, SPEED, new Num(90))));

        assertThat(twins.get(CAR).orElseThrow().reported().get(SPEED).value()).isEqualTo(new Num(90));
        assertThat(twins.get(OTHER_CAR).orElseThrow().reported().get(SPEED).value())
                .isEqualTo(new Num(90));
    }

    @Test
    void desiredValueShowsAsDeltaUntilTheCarReportsIt() {
        Instant requested = Instant.ofEpochMilli(T0);
        twins.setDesired(CAR, TEMP, new Num(22), requested);
        assertThat(twins.get(CAR).orElseThrow().delta())
                .containsExactly(Map.entry(TEMP, new DeltaEntry(new TwinValue(new Num(22), T0), Optional.empty())));

        twins.apply(CAR, List.of(sample(T0 + 10, 1, TEMP, 19)));
        assertThat(twins.get(CAR).orElseThrow().delta().get(TEMP).reported())
                .contains(new TwinValue(new Num(19), T0 + 10));

        twins.apply(CAR, List.of(sample(T0 + 20, 2, TEMP, 22)));
        Twin caughtUp = twins.get(CAR).orElseThrow();
        assertThat(caughtUp.delta()).isEmpty();
        assertThat(caughtUp.desired()).containsKey(TEMP);

        twins.clearDesired(CAR, TEMP);
        assertThat(twins.get(CAR).orElseThrow().desired()).isEmpty();
    }

    @Test
    void tracksConnectionStateIgnoringStaleEvents() {
        twins.connectionChanged(CAR, true, Instant.ofEpochMilli(T0));
        Twin online = twins.get(CAR).orElseThrow();
        assertThat(online.online()).isTrue();
        assertThat(online.connectedSince()).contains(Instant.ofEpochMilli(T0));

        twins.connectionChanged(CAR, false, Instant.ofEpochMilli(T0 + 5000));
        twins.connectionChanged(CAR, true, Instant.ofEpochMilli(T0 + 1000));

        Twin offline = twins.get(CAR).orElseThrow();
        assertThat(offline.online()).isFalse();
        assertThat(offline.connectedSince()).isEmpty();
        assertThat(offline.lastSeen()).contains(Instant.ofEpochMilli(T0 + 5000));
    }

    @Test
    void restoresReportedValuesFromHistoryAsOfflineCars() {
        twins.restore(Map.of(
                CAR, List.of(sample(T0, 1, SPEED, 3)),
                OTHER_CAR, List.of(new Sample(OTHER_CAR, T0, 1, "Vehicle.IsMoving", new SignalValue.Bool(true)))));

        assertThat(twins.size()).isEqualTo(2);
        assertThat(twins.all())
                .extracting(Twin::vin)
                .containsExactly(OTHER_CAR, CAR)
                .isSorted();
        assertThat(twins.all()).noneMatch(Twin::online);
        assertThat(twins.get(CAR).orElseThrow().reported().get(SPEED).value()).isEqualTo(new Num(3));
        assertThat(twins.get(Vin.of("WVWZZZ1JZXW999999"))).isEmpty();
    }

    @Test
    void rejectsSamplesOfAnotherCar() {
        assertThatThrownBy(() -> twins.apply(CAR, List.of(new Sample(OTHER_CAR, T0, 1, SPEED, new Num(1)))))
                .isInstanceOf(TsunaguException.class)
                .hasMessageContaining("applied to the twin of " + CAR);
    }

    @Test
    void concurrentAppliesOnOneCarEndAtTheNewestSample() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<Sample> all = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            all.add(sample(T0 + random.nextInt(1_000_000), i, "Vehicle.S" + (i % 8), i));
        }
        Collections.shuffle(all, random);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Sample> share = all.subList(t * 1000, (t + 1) * 1000);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < share.size(); i += 10) {
                        twins.apply(CAR, share.subList(i, i + 10));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        Twin twin = twins.get(CAR).orElseThrow();
        for (int p = 0; p < 8; p++) {
            String path = "Vehicle.S" + p;
            Sample newest = all.stream()
                    .filter(s -> s.path().equals(path))
                    .max(java.util.Comparator.comparingLong(Sample::tsMs).thenComparingLong(Sample::seq))
                    .orElseThrow();
            assertThat(twin.reported().get(path))
                    .as("path %s with seed %d", path, seed)
                    .isEqualTo(new TwinValue(newest.value(), newest.tsMs()));
        }
    }

    @Test
    void aCommitOfInterleavedCarsLeavesEveryTwinAsApplyingEachCarsSamplesAlone() {
        Random random = new Random(7);
        List<Sample> commit = new ArrayList<>();
        for (int message = 0; message < 40; message++) {
            Vin car = random.nextBoolean() ? CAR : OTHER_CAR;
            long ts = T0 + random.nextInt(20) * 100L;
            commit.add(new Sample(car, ts, message, SPEED, new Num(random.nextInt(200))));
            commit.add(new Sample(car, ts, message, TEMP, new Num(random.nextInt(40))));
        }
        TwinStore grouped = new TwinStore();
        for (Vin car : List.of(CAR, OTHER_CAR)) {
            grouped.apply(car, commit.stream().filter(s -> s.vin().equals(car)).toList());
        }

        twins.applyCommitted(commit);
        twins.applyCommitted(List.of());

        for (Vin car : List.of(CAR, OTHER_CAR)) {
            assertThat(twins.get(car).orElseThrow().reported())
                    .isEqualTo(grouped.get(car).orElseThrow().reported());
            assertThat(twins.get(car).orElseThrow().lastSeen())
                    .isEqualTo(grouped.get(car).orElseThrow().lastSeen());
        }
    }

    private static Sample sample(long tsMs, long seq, String path, double value) {
        return new Sample(CAR, tsMs, seq, path, new Num(value));
    }
}
