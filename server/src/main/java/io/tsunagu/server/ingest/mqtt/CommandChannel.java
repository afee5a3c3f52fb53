package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Vin;
import java.util.concurrent.CompletableFuture;

/** Where the gateway hands the command traffic a car sends: its results, and the moment it subscribes for commands. */
public interface CommandChannel {
    /**
     * A car published on its own {@code vehicles/{vin}/commands/result} topic. The PUBACK waits for the returned
     * future: a failure answers an error code, so the car sends the result again.
     */
    CompletableFuture<Void> result(Vin vin, byte[] payload);

    /** A car subscribed to its own {@code vehicles/{vin}/commands} topic (queued commands can go out now). */
    void subscribed(Vin vin);

    /** Ignores results (acknowledging them) and subscriptions. */
    CommandChannel NONE = new CommandChannel() {
        @Override
        public CompletableFuture<Void> result(Vin vin, byte[] payload) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void subscribed(Vin vin) {}
    };
}
