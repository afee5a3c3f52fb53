package io.tsunagu.server.command;

import io.tsunagu.protocol.Vin;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** How envelopes reach cars: the MQTT gateway, publishing to {@code vehicles/{vin}/commands}. */
public interface CommandTransport {
    /** True while the car has an authenticated connection. */
    boolean online(Vin vin);

    /**
     * Publishes an envelope to the car's command topic with QoS 1 and MQTT 5 message expiry {@code expiry} (rounded up
     * to whole seconds).
     *
     * @return completes with true once the broker took it for the car's subscription, false if the car is not
     *     subscribed to its command topic (yet); completes exceptionally if the broker failed
     */
    CompletableFuture<Boolean> send(Vin vin, byte[] envelope, Duration expiry);
}
