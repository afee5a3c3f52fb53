package io.tsunagu.server.ingest.mqtt;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import io.tsunagu.protocol.Vin;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns broker lifecycle events into a car's online state. Counts authenticated connections per car rather than
 * flipping a flag, because on a session takeover (the car reconnects before the broker noticed the old connection
 * died) the new connection authenticates before the old one's disconnect event arrives.
 */
final class ConnectionTracker implements ClientLifecycleEventListener {
    private final Map<Vin, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final ConnectionListener listener;
    private final Clock clock;

    ConnectionTracker(ConnectionListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
        // Not yet authenticated: nothing to record.
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        vinOf(input.getClientInformation().getClientId()).ifPresent(vin -> {
            Instant at = clock.instant();
            int now = connections.computeIfAbsent(vin, v -> new AtomicInteger()).incrementAndGet();
            if (now == 1) {
                listener.connectionChanged(vin, true, at);
            }
            listener.sessionStarted(vin, at);
        });
    }

    @Override
    public void onAuthenticationFailedDisconnect(AuthenticationFailedInput input) {
        // A refused connection may carry another car's client id; it must not count against that car.
    }

    @Override
    public void onDisconnect(DisconnectEventInput input) {
        vinOf(input.getClientInformation().getClientId()).ifPresent(vin -> {
            AtomicInteger count = connections.get(vin);
            if (count == null) {
                return; // never authenticated (refused connect)
            }
            int now = count.updateAndGet(c -> Math.max(0, c - 1));
            if (now == 0) {
                listener.connectionChanged(vin, false, clock.instant());
            }
        });
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

    private static java.util.Optional<Vin> vinOf(String clientId) {
        return Vin.isValid(clientId) ? java.util.Optional.of(Vin.of(clientId)) : java.util.Optional.empty();
    }
}
