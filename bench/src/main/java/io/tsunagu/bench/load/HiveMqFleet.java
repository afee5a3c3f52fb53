package io.tsunagu.bench.load;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link CarFleet} on HiveMQ's client ({@link CarClients}): the schedules run on a ticker thread of their own, and the
 * client hands every publish over to its event loop (the generator of the sessions before 2026-12-01's fifth).
 */
final class HiveMqFleet implements CarFleet {
    private final CarClients.Connected connected;
    private final CarClients clients;

    HiveMqFleet(CarClients.Connected connected) {
        this.connected = connected;
        this.clients = connected.clients();
    }

    @Override
    public int size() {
        return clients.size();
    }

    @Override
    public int connectFailures() {
        return connected.failed();
    }

    @Override
    public double connectSeconds() {
        return connected.seconds();
    }

    @Override
    public Publishing periodic(long intervalMs, AckTracker tracker) {
        int slots = (int) Math.max(1, intervalMs / FleetLoad.TICK_MS);
        long[] tick = {0};
        return ticker("bench-fleet-ticker", () -> {
            int slot = (int) (tick[0]++ % slots);
            for (int car = slot; car < clients.size(); car += slots) {
                if (clients.connected(car)) {
                    tracker.track(clients.publish(car));
                }
            }
        });
    }

    @Override
    public Publishing paced(double msgPerS, AckTracker tracker) {
        double perTick = msgPerS * FleetLoad.TICK_MS / 1_000.0;
        double[] owed = {0};
        int[] nextCar = {0};
        return ticker("bench-paced-ticker", () -> {
            owed[0] += perTick;
            for (; owed[0] >= 1; owed[0]--) {
                int car = nextCar[0]++ % clients.size();
                if (clients.connected(car)) {
                    tracker.track(clients.publish(car));
                }
            }
        });
    }

    @Override
    public Publishing flood(int inFlight, AckTracker tracker) {
        Flood flood = new Flood(clients, tracker);
        for (int car = 0; car < clients.size(); car++) {
            for (int i = 0; i < inFlight; i++) {
                flood.next(car);
            }
        }
        return flood;
    }

    private static Publishing ticker(String name, Runnable tick) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name(name).daemon(true).unstarted(r));
        ticker.scheduleAtFixedRate(tick, 0, FleetLoad.TICK_MS, TimeUnit.MILLISECONDS);
        return () -> {
            ticker.shutdown();
            try {
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Override
    public void close() {
        clients.close();
    }

    /** Keeps a fixed number of publishes in flight per connection: each PUBACK sends the next message. */
    private static final class Flood implements Publishing {
        private final CarClients clients;
        private final AckTracker tracker;
        private volatile boolean running = true;

        Flood(CarClients clients, AckTracker tracker) {
            this.clients = clients;
            this.tracker = tracker;
        }

        void next(int car) {
            if (!running || !clients.connected(car)) {
                return;
            }
            tracker.track(clients.publish(car)).whenComplete((result, error) -> next(car));
        }

        @Override
        public void stop() {
            running = false;
        }
    }
}
