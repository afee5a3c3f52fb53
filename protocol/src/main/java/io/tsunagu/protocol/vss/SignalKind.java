package io.tsunagu.protocol.vss;

import java.util.Locale;
import java.util.Optional;

/** The VSS node types that are signals (a {@code branch} is not). */
public enum SignalKind {
    /** Measured by the car, read-only. */
    SENSOR,
    /** Can be set (a command target); also reports its current state. */
    ACTUATOR,
    /** A static property such as the vehicle's brand or battery capacity. */
    ATTRIBUTE;

    private final String vssName = name().toLowerCase(Locale.ROOT);

    /** The name as it appears in a VSS {@code type} field. */
    public String vssName() {
        return vssName;
    }

    /** The kind for a VSS {@code type} value; empty for {@code branch} and anything unknown. */
    public static Optional<SignalKind> fromVssName(String type) {
        for (SignalKind kind : values()) {
            if (kind.vssName.equals(type)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
