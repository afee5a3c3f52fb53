package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.tsunagu.server.ingest.CompletionBatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The drains of one group commit reach each event loop as one task, after the commit, in the order scheduled. */
class AckDrainsTest {
    /** A real event loop that counts the tasks handed to it. */
    private static final class CountingLoop extends DefaultEventLoop {
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            super.execute(task);
        }
    }

    private final CountingLoop first = new CountingLoop();
    private final CountingLoop second = new CountingLoop();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        first.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        second.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void drainsOfOneCommitGoToEachEventLoopAsOneTaskInTheOrderScheduled() {
        CompletionBatch.completeAll(() -> {
            for (int connection = 0; connection < 6; connection++) {
                String name = "c" + connection;
                AckDrains.schedule(connection % 2 == 0 ? first : second, () -> ran.add(name));
            }
            assertThat(first.tasks.get() + second.tasks.get())
                    .as("nothing handed over before the commit is complete")
                    .isZero();
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 6);
        assertThat(first.tasks).hasValue(1);
        assertThat(second.tasks).hasValue(1);
        assertThat(ran.stream().filter(List.of("c0", "c2", "c4")::contains)).containsExactly("c0", "c2", "c4");
        assertThat(ran.stream().filter(List.of("c1", "c3", "c5")::contains)).containsExactly("c1", "c3", "c5");
    }

    @Test
    void aFailingDrainDoesNotKeepTheOtherConnectionsOfItsLoopBack() {
        CompletionBatch.completeAll(() -> {
            AckDrains.schedule(first, () -> {
                throw new IllegalStateException("connection gone");
            });
            AckDrains.schedule(first, () -> ran.add("next"));
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("next"));
        assertThat(first.tasks).hasValue(1);
    }

    @Test
    void outsideACommitADrainIsHandedOverAtOnceAndTheNextCommitStartsAfresh() {
        AckDrains.schedule(first, () -> ran.add("alone"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("alone"));
        CompletionBatch.completeAll(() -> AckDrains.schedule(first, () -> ran.add("batched")));

        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("batched"));
        assertThat(first.tasks).hasValue(2);
    }
}
