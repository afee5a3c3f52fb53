package io.tsunagu.server.ingest.mqtt;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The time limit on a publish's store future without a timer per message. {@link CompletableFuture#orTimeout} hands
 * every future to the JDK's shared delay scheduler, whose thread is woken for each new timeout and again for each
 * cancellation: two thread hand-offs per message, 6 % of the server's CPU in {@code ingest-max} (2026-12-01 profile).
 * Here a watched future costs one queue node; {@link #sweep} (once a second, on one event loop) fails those past
 * their deadline with the same {@link TimeoutException} {@code orTimeout} would, and forgets the completed ones. A
 * future therefore fails between the limit and the limit plus one sweep interval after it was watched.
 *
 * <p>Threading: {@link #watch} from any thread (the event loops), {@link #sweep} from one thread at a time.
 */
final class Deadlines {
    private record Watched(CompletableFuture<?> future, long deadlineNanos) {}

    private final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();
    private final long limitNanos;
    private final LongSupplier nanoClock;

    /**
     * @param limitNanos how long a watched future may take
     * @param nanoClock {@link System#nanoTime} in production; tests step it
     */
    Deadlines(long limitNanos, LongSupplier nanoClock) {
        this.limitNanos = limitNanos;
        this.nanoClock = nanoClock;
    }

    /** Fails {@code future} with a {@link TimeoutException} if it is not complete within the limit; returns it. */
    <T> CompletableFuture<T> watch(CompletableFuture<T> future) {
        if (!future.isDone()) {
            watched.add(new Watched(future, nanoClock.getAsLong() + limitNanos));
        }
        return future;
    }

    /** Fails every watched future past its deadline and forgets every completed one. */
    void sweep() {
        long now = nanoClock.getAsLong();
        for (Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
            Watched next = it.next();
            if (next.future().isDone()) {
                it.remove();
            } else if (now - next.deadlineNanos() >= 0) {
                it.remove();
                next.future().completeExceptionally(new TimeoutException());
            }
        }
    }

    /** Futures watched and not yet seen complete by a sweep. */
    int watching() {
        return watched.size();
    }
}
