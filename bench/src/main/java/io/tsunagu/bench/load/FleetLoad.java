package io.tsunagu.bench.load;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connected cars each publishing one message every {@code intervalMs}, spread evenly: a 10 ms tick publishes for the
 * cars of one slot (car i is in slot i mod slots), so the offered load is steady at {@code cars / interval}.
 */
final class FleetLoad implements AutoCloseable {
    static final long TICK_MS = 10;

    private final CarClients clients;
    private final AckTracker tracker = new AckTracker();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("bench-fleet-ticker").daemon(true).unstarted(r));
    private final int slots;
    private long tick;

    FleetLoad(CarClients clients, long intervalMs) {
        this.clients = clients;
        this.slots = (int) Math.max(1, intervalMs / TICK_MS);
        ticker.scheduleAtFixedRate(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        int slot = (int) (tick++ % slots);
        for (int car = slot; car < clients.size(); car += slots) {
            if (clients.connected(car)) {
                tracker.track(clients.publish(car));
            }
        }
    }

    AckTracker tracker() {
        return tracker;
    }

    /** Stops publishing, then waits up to {@code drainMs} for the outstanding PUBACKs. */
    void stop(long drainMs) {
        ticker.shutdown();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tracker.drain(drainMs);
    }

    @Override
    public void close() {
        stop(0);
        clients.close();
    }
}
