package io.tsunagu.server.command.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.Command;
import io.tsunagu.server.command.CommandState;
import io.tsunagu.server.command.CommandTransport;
import io.tsunagu.server.observe.GracefulStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a car's pending commands in {@code seq} order. Work for one car always runs on the same single-threaded
 * stripe (chosen by VIN), so deliveries and result handling of one car never overlap or reorder; different cars run
 * in parallel on the other stripes.
 *
 * <p>A delivery stops at the first envelope the car cannot take (not subscribed yet, broker error) so that nothing
 * overtakes it; it is retried when the car subscribes, reconnects, or at the next sweep.
 */
public final class DeliveryConductor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryConductor.class);
    private static final int STRIPES = 4;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Set<CommandState> UNSENT = EnumSet.of(CommandState.QUEUED);
    private static final Set<CommandState> UNACKNOWLEDGED = EnumSet.of(CommandState.QUEUED, CommandState.SENT);

    private final CommandStore store;
    private final CommandTransport transport;
    private final Consumer<Command> changed;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService[] stripes = new ExecutorService[STRIPES];
    /** When each car's current connection began: sent commands are re-sent once per connection, not per trigger. */
    private final Map<Vin, Instant> sessions = new ConcurrentHashMap<>();

    /** @param changed told of every command this conductor moved to {@code sent} */
    public DeliveryConductor(
            CommandStore store,
            CommandTransport transport,
            Consumer<Command> changed,
            Clock clock,
            ScheduledExecutorService scheduler) {
        this.store = store;
        this.transport = transport;
        this.changed = changed;
        this.clock = clock;
        this.scheduler = scheduler;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = Executors.newSingleThreadExecutor(Thread.ofPlatform()
                    .name("tsunagu-commands-" + i)
                    .daemon(true)
                    .factory());
        }
    }

    /** The car connected at {@code at}: commands sent before then are re-sent (once) during this connection. */
    public void connected(Vin vin, Instant at) {
        sessions.put(vin, at);
    }

    /**
     * Delivers the car's pending commands if it is online.
     *
     * @param resend also publish {@code sent} ones again (after a reconnect: their acknowledgement may be lost; the car
     *     recognises an id it already executed)
     * @param retries how often to try again, with growing pauses, if the car is not subscribed yet
     */
    public void deliver(Vin vin, boolean resend, int retries) {
        onStripe(vin, () -> {
            deliverNow(vin, resend, retries);
            return null;
        });
    }

    /** Runs {@code work} on the car's stripe, after anything already queued for the car. */
    public <T> CompletableFuture<T> onStripe(Vin vin, Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, stripes[Math.floorMod(vin.hashCode(), STRIPES)]);
    }

    private void deliverNow(Vin vin, boolean resend, int retries) {
        if (!transport.online(vin)) {
            return;
        }
        for (CommandStore.Pending pending : store.pending(vin, resend ? UNACKNOWLEDGED : UNSENT)) {
            Instant now = clock.instant();
            Duration left = Duration.between(now, pending.command().expiresAt());
            if (left.isNegative() || left.isZero() || sentThisSession(vin, pending.command())) {
                continue; // the expiry sweep marks expired ones
            }
            if (!send(vin, pending, left)) {
                if (retries > 0) {
                    long pauseMs = 100L << Math.min(6, 5 - Math.min(5, retries));
                    scheduler.schedule(() -> deliver(vin, resend, retries - 1), pauseMs, TimeUnit.MILLISECONDS);
                }
                return;
            }
            store.transition(
                            pending.command().id(),
                            UNACKNOWLEDGED,
                            CommandState.SENT,
                            now,
                            Optional.empty(),
                            Optional.empty())
                    .ifPresent(changed);
        }
    }

    private boolean sentThisSession(Vin vin, Command command) {
        Instant session = sessions.get(vin);
        return session != null
                && command.sentAt().isPresent()
                && !command.sentAt().get().isBefore(session);
    }

    private boolean send(Vin vin, CommandStore.Pending pending, Duration left) {
        try {
            return transport.send(vin, pending.envelope(), left).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("publishing command {} to {} failed: {}", pending.command().id(), vin, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops the stripes gracefully: work already handed to them (a delivery, a result) finishes, up to a few seconds,
     * instead of being interrupted in the middle of a database call ({@link GracefulStop}).
     */
    @Override
    public void close() {
        for (ExecutorService stripe : stripes) {
            stripe.shutdown();
        }
        for (int i = 0; i < STRIPES; i++) {
            GracefulStop.stop(stripes[i], STOP_GRACE, "command delivery stripe " + i);
        }
    }
}
