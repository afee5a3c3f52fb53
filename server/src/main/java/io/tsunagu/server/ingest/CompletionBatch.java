package io.tsunagu.server.ingest;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets code that reacts to a completed ingest future wait until the whole group commit has completed. The durable
 * writer completes one future per message of a commit; a connection's PUBACK queue that hopped to its event loop at
 * the first one would race the rest of the commit and write and flush (one TLS record, one syscall) several times per
 * commit. Inside {@link #completeAll}, {@link #afterCompletions} holds its task until every future of the batch is
 * complete, so each connection writes its acknowledgements of one commit with one flush.
 *
 * <p>Threading: per thread; only the writer thread opens a batch, everywhere else the task runs at once.
 */
public final class CompletionBatch {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionBatch.class);
    private static final ThreadLocal<@Nullable List<Runnable>> DEFERRED = new ThreadLocal<>();

    private CompletionBatch() {}

    /**
     * Runs {@code task} once the futures this thread is completing right now are all complete; at once if this thread
     * is not completing a batch.
     */
    public static void afterCompletions(Runnable task) {
        List<Runnable> deferred = DEFERRED.get();
        if (deferred == null) {
            task.run();
        } else {
            deferred.add(task);
        }
    }

    /** True while this thread is completing a batch: tasks given to {@link #afterCompletions} wait for its end. */
    public static boolean active() {
        return DEFERRED.get() != null;
    }

    /**
     * Runs {@code completions} (completing a batch of futures, as the durable writer does per commit), then the tasks
     * they deferred, in order.
     */
    public static void completeAll(Runnable completions) {
        if (DEFERRED.get() != null) {
            completions.run(); // nested: the outer batch runs the tasks
            return;
        }
        List<Runnable> deferred = new ArrayList<>();
        DEFERRED.set(deferred);
        try {
            completions.run();
        } finally {
            DEFERRED.remove();
            for (Runnable task : deferred) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("task after a group commit's completions failed", e);
                }
            }
        }
    }
}
