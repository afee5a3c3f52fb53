package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import io.tsunagu.protocol.vss.SignalCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write path made fast (issue 3): a WAL apply thread (acknowledging after the apply, or on the fsynced WAL commit
 * with the switch), and out-of-order commits that split the newest partition instead of rewriting it. These tests drive enough out-of-order
 * rows through the store that the newest day is split, and check what must not change: every append stored once,
 * visible after {@link SampleStore#awaitVisible}, after a reopen, and retention counting whole days.
 */
class QuestDbSampleStoreCommitTest {
    private static final long DAY_MS = 86_400_000L;
    private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final List<Vin> CARS =
            List.of(Vin.of("WVWZZZ1JZXW000001"), Vin.of("SALGA2EF8DA000003"), Vin.of("1HGCM82633A004352"));
    private static final List<String> SIGNALS = List.of("Vehicle.Speed", "Vehicle.TraveledDistance");
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);
    /** Rows per commit and commits: 240 k rows of the day, far above the split threshold (about 20 k rows). */
    private static final int FRAMES_PER_COMMIT = 2_000;

    private static final int COMMITS = 40;

    @TempDir
    Path dir;

    private QuestDbSampleStore store;

    @AfterEach
    void close() {
        store.close();
    }

    /** Both acknowledgement modes: after the apply (the default) and on the WAL commit (the switch). */
    private void open(boolean ackBeforeApply) {
        store = QuestDbSampleStore.open(dir, SignalCatalog.vss6(), ackBeforeApply);
    }

    @ParameterizedTest(name = "ackBeforeApply={0}")
    @ValueSource(booleans = {false, true})
    void outOfOrderCommitsIntoTheNewestDayAreStoredOnceAndVisibleAfterAwaitVisible(boolean ackBeforeApply) {
        open(ackBeforeApply);
        List<Sample> all = appendOverlappingCommits(T0);

        assertThat(store.awaitVisible(VISIBLE_WITHIN)).isTrue();

        assertThat(countOf(CARS.getFirst(), T0, T0 + DAY_MS)).isEqualTo(rowsOf(all, CARS.getFirst()));
        assertThat(store.query(HistoryQuery.raw(CARS.get(1), List.of(), T0, T0 + DAY_MS, 5))
                        .points())
                .extracting(HistoryPoint::tsMs)
                .isSorted();
    }

    @ParameterizedTest(name = "ackBeforeApply={0}")
    @ValueSource(booleans = {false, true})
    void reAppendingEveryCommitAfterAReopenStoresNothingTwice(boolean ackBeforeApply) {
        open(ackBeforeApply);
        List<Sample> all = appendOverlappingCommits(T0);
        store.close();
        open(ackBeforeApply);

        store.appendDurably(all); // a server restarted after losing every acknowledgement: the cars re-send it all
        assertThat(store.awaitVisible(VISIBLE_WITHIN)).isTrue();

        assertThat(countOf(CARS.getFirst(), T0, T0 + DAY_MS)).isEqualTo(rowsOf(all, CARS.getFirst()));
    }

    @ParameterizedTest(name = "ackBeforeApply={0}")
    @ValueSource(booleans = {false, true})
    void retentionCountsAndDropsWholeDaysAlsoWhenOutOfOrderCommitsSplitThem(boolean ackBeforeApply) {
        open(ackBeforeApply);
        List<Sample> older = appendOverlappingCommits(T0 - DAY_MS);
        List<Sample> newer = appendOverlappingCommits(T0);

        long dropped = store.retain(Duration.ofDays(1), Instant.ofEpochMilli(T0 + DAY_MS + DAY_MS / 2));

        assertThat(dropped).isEqualTo(1);
        assertThat(countOf(CARS.getFirst(), T0 - DAY_MS, T0)).isZero();
        assertThat(countOf(CARS.getFirst(), T0, T0 + DAY_MS)).isEqualTo(rowsOf(newer, CARS.getFirst()));
        assertThat(older).isNotEmpty();
    }

    /**
     * Commits of frames whose times overlap the previous commit's (as when messages of many cars queue up behind each
     * other): every commit is out of order against the table. Seeded, so every run writes the same rows.
     */
    private List<Sample> appendOverlappingCommits(long dayStartMs) {
        SplittableRandom random = new SplittableRandom(42);
        List<Sample> all = new ArrayList<>();
        long seq = 0;
        for (int commit = 0; commit < COMMITS; commit++) {
            List<Sample> batch = new ArrayList<>();
            for (int frame = 0; frame < FRAMES_PER_COMMIT; frame++) {
                Vin car = CARS.get(frame % CARS.size());
                long tsMs = dayStartMs + 60_000L * commit + random.nextLong(90_000); // overlaps the next commit's
                seq++;
                for (String signal : SIGNALS) {
                    batch.add(new Sample(car, tsMs, seq, signal, new Num(seq)));
                }
            }
            store.appendDurably(batch);
            all.addAll(batch);
        }
        return all;
    }

    private long countOf(Vin car, long fromMs, long toMs) {
        long count = 0;
        HistoryQuery query = HistoryQuery.raw(car, List.of(), fromMs, toMs, 10_000);
        for (int page = 0; page < 1_000; page++) {
            HistoryPage result = store.query(query);
            count += result.points().size();
            if (result.nextCursor().isEmpty()) {
                return count;
            }
            query = query.after(result.nextCursor().get());
        }
        throw new AssertionError("more than 1000 pages");
    }

    private static long rowsOf(List<Sample> samples, Vin car) {
        return samples.stream().filter(s -> s.vin().equals(car)).count();
    }
}
