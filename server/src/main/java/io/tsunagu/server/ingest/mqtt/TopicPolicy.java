package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import java.util.Optional;

/**
 * What an authenticated car may do: publish only to its own telemetry, status and command-result topics, subscribe
 * only to its own command and update topics (exact filters: no wildcards, no shared subscriptions). Everything else is
 * denied.
 */
final class TopicPolicy {
    private TopicPolicy() {}

    /** The kind of an allowed publish of {@code vin} on {@code topic}, or empty if the car may not publish there. */
    static Optional<Topics.Kind> publishable(Vin vin, String topic) {
        Optional<Topics.VehicleTopic> parsed = Topics.parse(topic);
        if (parsed.isEmpty() || !parsed.get().vin().equals(vin)) {
            return Optional.empty();
        }
        Topics.Kind kind = parsed.get().kind();
        return switch (kind) {
            case TELEMETRY, STATUS, COMMAND_RESULT -> Optional.of(kind);
            case COMMANDS, UPDATES -> Optional.empty();
        };
    }

    /** True if {@code vin} may subscribe to {@code filter}. */
    static boolean subscribable(Vin vin, String filter) {
        return filter.equals(Topics.commands(vin)) || filter.equals(Topics.updates(vin));
    }

    /** True if {@code topic} is another car's telemetry topic (the attempt goes to the sender's rejection log). */
    static boolean foreignTelemetry(Vin vin, String topic) {
        Optional<Topics.VehicleTopic> parsed = Topics.parse(topic);
        return parsed.isPresent()
                && parsed.get().kind() == Topics.Kind.TELEMETRY
                && !parsed.get().vin().equals(vin);
    }
}
