package io.tsunagu.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Group commit timing: commits start at most every commit interval, so messages arriving meanwhile share one commit;
 * an idle writer and a full batch do not wait, and close commits what is queued.
 */
class DurableWriterTest {
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    /** Far longer than any test runs: a commit that waited for it would time the test out. */
    private static final Duration NEVER = Duration.ofHours(1);

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final List<List<Sample>> commits = new CopyOnWriteArrayList<>();

    private static List<Sample> message(long seq) {
        return List.of(new Sample(CAR, 1_000 + seq, seq, "Vehicle.Speed", new Num(seq)));
    }

    private static List<Long> seqs(List<Sample> batch) {
        return batch.stream().map(Sample::seq).toList();
    }

    @Test
    void anIdleWriterCommitsAtOnceAndLaterMessagesWaitForTheIntervalUntilTheBatchIsFull() {
        try (DurableWriter writer = new DurableWriter(commits::add, batch -> {}, 3, NEVER)) {
            writer.submit(message(1))
                    .orTimeout(WITHIN.toSeconds(), TimeUnit.SECONDS)
                    .join();

            CompletableFuture<Void> second = writer.submit(message(2));
            CompletableFuture<Void> third = writer.submit(message(3));
            CompletableFuture<Void> fourth = writer.submit(message(4));

            CompletableFuture.allOf(second, third, fourth)
                    .orTimeout(WITHIN.toSeconds(), TimeUnit.SECONDS)
                    .join();
            assertThat(commits).extracting(DurableWriterTest::seqs).containsExactly(List.of(1L), List.of(2L, 3L, 4L));
            assertThat(writer.commits()).isEqualTo(2);
        }
    }

    @Test
    void closeCommitsWhatWaitsForTheIntervalWithoutWaitingForIt() {
        CompletableFuture<Void> waiting;
        try (DurableWriter writer = new DurableWriter(commits::add, batch -> {}, 1_000, NEVER)) {
            writer.submit(message(1))
                    .orTimeout(WITHIN.toSeconds(), TimeUnit.SECONDS)
                    .join();
            waiting = writer.submit(message(2));
        }
        assertThat(waiting).isCompleted();
        assertThat(commits).extracting(DurableWriterTest::seqs).containsExactly(List.of(1L), List.of(2L));
    }

    @Test
    void withoutAnIntervalWhatQueuedDuringACommitGoesIntoTheNextOne() throws InterruptedException {
        CountDownLatch firstCommitEntered = new CountDownLatch(1);
        CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        try (DurableWriter writer = new DurableWriter(
                batch -> {
                    commits.add(batch);
                    if (commits.size() == 1) {
                        firstCommitEntered.countDown();
                        awaitQuietly(releaseFirstCommit);
                    }
                },
                batch -> {},
                1_000,
                Duration.ZERO)) {
            CompletableFuture<Void> first = writer.submit(message(1));
            assertThat(firstCommitEntered.await(WITHIN.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
            CompletableFuture<Void> second = writer.submit(message(2));
            CompletableFuture<Void> third = writer.submit(message(3));
            releaseFirstCommit.countDown();

            CompletableFuture.allOf(first, second, third)
                    .orTimeout(WITHIN.toSeconds(), TimeUnit.SECONDS)
                    .join();
            await().atMost(WITHIN).until(() -> writer.commits() == 2);
            assertThat(commits).extracting(DurableWriterTest::seqs).containsExactly(List.of(1L), List.of(2L, 3L));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
