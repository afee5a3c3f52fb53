package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store time limit, on a clock the test steps. */
class DeadlinesTest {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final AtomicLong now = new AtomicLong(1_000);
    private final Deadlines deadlines = new Deadlines(LIMIT_NANOS, now::get);

    @Test
    void aFutureNotCompleteWithinTheLimitFailsWithATimeoutAsOrTimeoutWould() {
        CompletableFuture<String> slow = deadlines.watch(new CompletableFuture<>());
        now.addAndGet(LIMIT_NANOS - 1);
        deadlines.sweep();
        assertThat(slow).isNotDone();

        now.addAndGet(1);
        deadlines.sweep();

        assertThat(slow).isCompletedExceptionally();
        assertThat(slow.handle((value, failure) -> failure).join()).isInstanceOf(TimeoutException.class);
        assertThat(deadlines.watching()).isZero();
    }

    @Test
    void completedFuturesAreForgottenAndNeverFailedLater() {
        CompletableFuture<String> done = deadlines.watch(CompletableFuture.completedFuture("at once"));
        CompletableFuture<String> soon = deadlines.watch(new CompletableFuture<>());
        CompletableFuture<String> stuck = deadlines.watch(new CompletableFuture<>());
        assertThat(deadlines.watching()).isEqualTo(2); // an already complete future is not even watched

        soon.complete("durable");
        deadlines.sweep();
        assertThat(deadlines.watching()).isEqualTo(1);

        now.addAndGet(LIMIT_NANOS);
        deadlines.sweep();
        assertThat(done.join()).isEqualTo("at once");
        assertThat(soon.join()).isEqualTo("durable");
        assertThat(stuck).isCompletedExceptionally();
    }

    @Test
    void aLaterFutureKeepsItsOwnDeadlineWhenAnEarlierOneExpires() {
        CompletableFuture<String> early = deadlines.watch(new CompletableFuture<>());
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        CompletableFuture<String> late = deadlines.watch(new CompletableFuture<>());

        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        deadlines.sweep();

        assertThat(early).isCompletedExceptionally();
        assertThat(late).isNotDone();
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        deadlines.sweep();
        assertThat(late).isCompletedExceptionally();
    }
}
