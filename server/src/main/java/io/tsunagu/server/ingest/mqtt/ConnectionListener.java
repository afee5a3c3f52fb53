package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Vin;
import java.time.Instant;

/** Told when a car's connection state changes (online = at least one authenticated connection). */
@FunctionalInterface
public interface ConnectionListener {
    void connectionChanged(Vin vin, boolean online, Instant at);

    /**
     * Every authenticated connection of the car, including one that takes over a session the broker still thought
     * alive (then {@link #connectionChanged} is not called: the car never went offline). Whatever must happen once
     * per connection — re-sending unacknowledged commands — hangs here.
     */
    default void sessionStarted(Vin vin, Instant at) {}
}
