package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Vin;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live session of each car: at most one. A new authenticated connection with the same client id (= VIN) takes
 * over: the old one is told so (DISCONNECT 0x8E session taken over, MQTT 5 §3.1.4) and closed. Thread-safe.
 */
final class SessionRegistry {
    private final Map<Vin, MqttSession> sessions = new ConcurrentHashMap<>();

    /** Makes {@code session} the car's live session; the one it replaces, if any, is taken over. */
    void register(MqttSession session) {
        MqttSession previous = sessions.put(session.vin(), session);
        if (previous != null && previous != session) {
            previous.takenOver();
        }
    }

    /** Forgets {@code session} if it is still the car's live session (not when a newer one took over). */
    void remove(MqttSession session) {
        sessions.remove(session.vin(), session);
    }

    Optional<MqttSession> get(Vin vin) {
        return Optional.ofNullable(sessions.get(vin));
    }

    /** Every live session (to close them at shutdown). */
    Iterable<MqttSession> all() {
        return sessions.values();
    }
}
