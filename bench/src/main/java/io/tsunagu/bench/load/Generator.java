package io.tsunagu.bench.load;

import java.util.Locale;

/**
 * Which MQTT client the bench cars of {@code ingest-max}, {@code ingest-fleet} and {@code twin-read}'s background
 * ingest run on; it drives Tsunagu and Mosquitto alike. {@code connect-storm} always runs on HiveMQ's client.
 */
public enum Generator {
    /**
     * Our own cars on Netty's MQTT codec ({@link NettyFleet}): each car's publishing schedule runs on the event loop
     * that owns its connection, so a publish is a write on that loop with no hand-off between threads.
     */
    NETTY,
    /** HiveMQ's asynchronous MQTT 5 client ({@link CarClients}), the generator of the sessions before. */
    HIVEMQ;

    /** The generator named {@code netty} or {@code hivemq} (any case). */
    public static Generator of(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--generator must be netty or hivemq, got '" + name + "'", e);
        }
    }

    /** The name as the bench prints it and {@link #of} reads it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
