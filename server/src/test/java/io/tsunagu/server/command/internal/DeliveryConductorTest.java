package io.tsunagu.server.command.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.CommandTransport;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the conductor's per-car stripes stop. */
class DeliveryConductorTest {
    @TempDir
    Path dir;

    /** No car is online: the stripes' own work is what these tests look at. */
    static final CommandTransport OFFLINE = new CommandTransport() {
        @Override
        public boolean online(Vin vin) {
            return false;
        }

        @Override
        public CompletableFuture<Boolean> send(Vin vin, byte[] envelope, Duration expiry) {
            return CompletableFuture.completedFuture(false);
        }
    };

    @Test
    void closeLetsWorkInProgressAndWorkAlreadyQueuedFinishUninterrupted() throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (MetadataDatabase db = MetadataDatabase.embedded(dir)) {
            DeliveryConductor conductor = new DeliveryConductor(
                    new CommandStore(db.dataSource()), OFFLINE, c -> {}, Clock.systemUTC(), scheduler);
            Vin vin = TestVins.northAmerican("1TSUSTPX", 1);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean();
            CompletableFuture<Boolean> inProgress = conductor.onStripe(vin, () -> {
                started.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    return false;
                }
            });
            CompletableFuture<Boolean> queued =
                    conductor.onStripe(vin, () -> !Thread.currentThread().isInterrupted());
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            Thread closer = Thread.ofPlatform().start(conductor::close);
            // Released only once close waits for the stripes, so the work is mid-way when they shut down.
            await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
            release.countDown();
            closer.join();

            assertThat(inProgress).isCompletedWithValue(true);
            assertThat(queued).as("queued before close, still run").isCompletedWithValue(true);
            assertThat(interrupted).isFalse();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
