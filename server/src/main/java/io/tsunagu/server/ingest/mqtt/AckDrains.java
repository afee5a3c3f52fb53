package io.tsunagu.server.ingest.mqtt;

import io.netty.channel.EventLoop;
import io.tsunagu.server.ingest.CompletionBatch;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the PUBACK drains of one group commit to the event loops with one task per event loop instead of one per
 * connection. With thousands of cars a commit completes messages of hundreds of connections spread over the two event
 * loops; a task each meant as many task-queue insertions and, whenever the loop on the other core had already run
 * out of work, another selector wake-up (a syscall on each side) for the same commit. Each drain still writes and
 * flushes its own connection.
 *
 * <p>Threading: {@link #schedule} on any thread. Inside a {@link CompletionBatch} (the writer thread completing a
 * commit) the drains are collected per event loop and handed over once the batch is complete, in the order they were
 * scheduled; elsewhere a drain is handed over at once.
 */
final class AckDrains {
    private static final Logger LOG = LoggerFactory.getLogger(AckDrains.class);
    private static final ThreadLocal<Map<EventLoop, List<Runnable>>> COLLECTING =
            ThreadLocal.withInitial(IdentityHashMap::new);

    private AckDrains() {}

    /** Runs {@code drain} on {@code loop}: with the other drains of the same group commit, or at once. */
    static void schedule(EventLoop loop, Runnable drain) {
        if (!CompletionBatch.active()) {
            loop.execute(drain);
            return;
        }
        Map<EventLoop, List<Runnable>> collecting = COLLECTING.get();
        List<Runnable> drains = collecting.get(loop);
        if (drains == null) {
            List<Runnable> batch = new ArrayList<>();
            collecting.put(loop, batch);
            CompletionBatch.afterCompletions(() -> {
                collecting.remove(loop);
                loop.execute(() -> runAll(batch));
            });
            drains = batch;
        }
        drains.add(drain);
    }

    private static void runAll(List<Runnable> drains) {
        for (Runnable drain : drains) {
            try {
                drain.run();
            } catch (RuntimeException e) {
                // one connection's failure must not keep the other connections' acknowledgements back
                LOG.warn("writing acknowledgements failed", e);
            }
        }
    }
}
