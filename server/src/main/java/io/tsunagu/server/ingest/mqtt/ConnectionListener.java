package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Vin;
import java.time.Instant;

/** Told when a car's connection state changes (online = at least one authenticated connection). */
@FunctionalInterface
public interface ConnectionListener {
    void connectionChanged(Vin vin, boolean online, Instant at);
}
