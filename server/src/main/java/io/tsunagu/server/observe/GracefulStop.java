package io.tsunagu.server.observe;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a background executor so that a task in progress finishes before what it uses closes. {@code shutdownNow}
 * alone interrupts a running task, and an interrupt in the middle of a database call closes H2's file channel and
 * fails the task (a WARN on every shutdown that caught a sweep at work); periodic tasks are cancelled either way.
 */
public final class GracefulStop {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private GracefulStop() {}

    /**
     * Refuses new tasks, lets the running one finish for up to {@code grace}, then interrupts what is left.
     *
     * @param what named in the log line when the grace runs out
     */
    public static void stop(ExecutorService executor, Duration grace, String what) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} still busy after {} ms at shutdown; interrupting it", what, grace.toMillis());
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
