package io.tsunagu.protocol;

import java.util.Optional;

/**
 * The MQTT topic contract between car and cloud. Every topic is below {@code vehicles/{vin}/}; a car may publish only
 * to its own telemetry, status and command-result topics and subscribe only to its own command and update topics.
 *
 * <pre>
 * vehicles/{vin}/telemetry        car → cloud  JSON or protobuf telemetry (QoS 1)
 * vehicles/{vin}/status           car → cloud  "online" / "offline" (offline is the MQTT will)
 * vehicles/{vin}/commands         cloud → car  signed command envelopes
 * vehicles/{vin}/commands/result  car → cloud  command results
 * vehicles/{vin}/updates          cloud → car  update notifications: an action was offered or is being cancelled
 * </pre>
 */
public final class Topics {
    public static final String ROOT = "vehicles";
    public static final String TELEMETRY = "telemetry";
    public static final String STATUS = "status";
    public static final String COMMANDS = "commands";
    public static final String COMMAND_RESULT = "commands/result";
    public static final String UPDATES = "updates";

    /** MQTT 5 content type the agent sets on protobuf telemetry; JSON uses {@code application/json}. */
    public static final String CONTENT_TYPE_PROTOBUF = "application/x-protobuf";

    public static final String CONTENT_TYPE_JSON = "application/json";

    /** Payload of {@link #status} while connected. */
    public static final String STATUS_ONLINE = "online";

    /** Payload of {@link #status} set as the MQTT will, published by the broker when the car drops. */
    public static final String STATUS_OFFLINE = "offline";

    /** What a topic below {@code vehicles/{vin}/} is for. */
    public enum Kind {
        TELEMETRY(Topics.TELEMETRY),
        STATUS(Topics.STATUS),
        COMMANDS(Topics.COMMANDS),
        COMMAND_RESULT(Topics.COMMAND_RESULT),
        UPDATES(Topics.UPDATES);

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** A parsed vehicle topic. */
    public record VehicleTopic(Vin vin, Kind kind) {}

    private Topics() {}

    public static String telemetry(Vin vin) {
        return topic(vin, Kind.TELEMETRY);
    }

    public static String status(Vin vin) {
        return topic(vin, Kind.STATUS);
    }

    public static String commands(Vin vin) {
        return topic(vin, Kind.COMMANDS);
    }

    public static String commandResult(Vin vin) {
        return topic(vin, Kind.COMMAND_RESULT);
    }

    /**
     * Update notifications, cloud → car, QoS 1, JSON {@code {"actionId": 42, "state": "offered"}} ({@code canceling}
     * for a cancel request). Only a hint: the car fetches the action itself (DDI or the agent's update client).
     */
    public static String updates(Vin vin) {
        return topic(vin, Kind.UPDATES);
    }

    public static String topic(Vin vin, Kind kind) {
        return ROOT + "/" + vin.value() + "/" + kind.suffix();
    }

    /**
     * Parses a concrete topic name (no wildcards). Empty if it is not one of the contract's topics or the VIN part is
     * not a valid VIN.
     */
    public static Optional<VehicleTopic> parse(String topic) {
        String prefix = ROOT + "/";
        if (!topic.startsWith(prefix)) {
            return Optional.empty();
        }
        int vinEnd = topic.indexOf('/', prefix.length());
        if (vinEnd < 0) {
            return Optional.empty();
        }
        String vinPart = topic.substring(prefix.length(), vinEnd);
        String rest = topic.substring(vinEnd + 1);
        for (Kind kind : Kind.values()) {
            if (kind.suffix().equals(rest)) {
                if (!vinPart.equals(vinPart.strip())
                        || !Vin.isValid(vinPart)
                        || !vinPart.equals(vinPart.toUpperCase(java.util.Locale.ROOT))) {
                    return Optional.empty();
                }
                return Optional.of(new VehicleTopic(new Vin(vinPart), kind));
            }
        }
        return Optional.empty();
    }
}
