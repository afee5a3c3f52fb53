package io.tsunagu.server.update.rollout;

import java.util.Locale;

/**
 * hawkBit's action types that fit cars: {@code forced} installs without asking the driver (DDI {@code download} and
 * {@code update} are {@code forced}); {@code soft} lets the car ask first ({@code attempt}). The safety gates of a
 * campaign apply to both.
 */
public enum ActionType {
    FORCED,
    SOFT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code forced} or {@code soft}; empty for anything else. */
    public static java.util.Optional<ActionType> parse(String code) {
        for (ActionType type : values()) {
            if (type.code().equals(code)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }
}
