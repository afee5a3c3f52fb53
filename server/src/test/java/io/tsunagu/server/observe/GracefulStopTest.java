package io.tsunagu.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GracefulStopTest {
    @Test
    void aTaskInProgressFinishesUninterruptedBeforeStopReturns() throws InterruptedException {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        executor.scheduleWithFixedDelay(
                () -> {
                    started.countDown();
                    try {
                        release.await();
                        finished.set(true);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                },
                0,
                1,
                TimeUnit.HOURS);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        // Released only once stop has begun, so the task is mid-way when the executor shuts down.
        Thread releaser = Thread.ofPlatform().start(() -> {
            await().atMost(Duration.ofSeconds(10)).until(executor::isShutdown);
            release.countDown();
        });

        GracefulStop.stop(executor, Duration.ofSeconds(30), "test sweep");

        releaser.join();
        assertThat(executor.isTerminated()).isTrue();
        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
    }

    @Test
    void aTaskStillBusyAfterTheGraceIsInterrupted() throws InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        executor.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        GracefulStop.stop(executor, Duration.ofMillis(50), "stuck task");

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}
