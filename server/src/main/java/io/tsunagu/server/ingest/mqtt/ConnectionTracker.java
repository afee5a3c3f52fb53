package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Vin;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns authenticated connections into a car's online state. Counts connections per car rather than flipping a flag,
 * because on a session takeover (the car reconnects before the old connection is gone) the new connection is
 * authenticated before the old one has closed. Refused connections are never counted: they may carry another car's
 * client id.
 */
final class ConnectionTracker {
    private final Map<Vin, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final ConnectionListener listener;
    private final Clock clock;

    ConnectionTracker(ConnectionListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    /** A connection of {@code vin} was authenticated (before its CONNACK goes out). */
    void authenticated(Vin vin) {
        Instant at = clock.instant();
        int now = connections.computeIfAbsent(vin, v -> new AtomicInteger()).incrementAndGet();
        if (now == 1) {
            listener.connectionChanged(vin, true, at);
        }
        listener.sessionStarted(vin, at);
    }

    /** An authenticated connection of {@code vin} closed. */
    void closed(Vin vin) {
        AtomicInteger count = connections.get(vin);
        if (count == null) {
            return;
        }
        int now = count.updateAndGet(c -> Math.max(0, c - 1));
        if (now == 0) {
            listener.connectionChanged(vin, false, clock.instant());
        }
    }

    /** True while the car has at least one authenticated connection. */
    boolean online(Vin vin) {
        AtomicInteger count = connections.get(vin);
        return count != null && count.get() > 0;
    }

    /** Number of cars with at least one authenticated connection. */
    int onlineCars() {
        int online = 0;
        for (AtomicInteger count : connections.values()) {
            if (count.get() > 0) {
                online++;
            }
        }
        return online;
    }
}
