package io.tsunagu.bench.load;

/**
 * Connected cars each publishing one message every {@code intervalMs}, spread evenly: a 10 ms tick publishes for the
 * cars of one slot, so the offered load is steady at {@code cars / interval} ({@link CarFleet#periodic}).
 */
final class FleetLoad implements AutoCloseable {
    static final long TICK_MS = 10;

    private final CarFleet fleet;
    private final AckTracker tracker = new AckTracker();
    private final CarFleet.Publishing publishing;

    FleetLoad(CarFleet fleet, long intervalMs) {
        this.fleet = fleet;
        this.publishing = fleet.periodic(intervalMs, tracker);
    }

    AckTracker tracker() {
        return tracker;
    }

    /** Stops publishing, then waits up to {@code drainMs} for the outstanding PUBACKs. */
    void stop(long drainMs) {
        publishing.stop();
        tracker.drain(drainMs);
    }

    @Override
    public void close() {
        stop(0);
        fleet.close();
    }
}
