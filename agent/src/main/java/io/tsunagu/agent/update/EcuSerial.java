package io.tsunagu.agent.update;

import io.tsunagu.agent.AgentException;
import java.util.regex.Pattern;

/**
 * The identifier of one ECU in the car (Uptane: "ECU identifier", unique within the vehicle), e.g. {@code
 * tcu-0001}. 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}, so it is also safe as a folder name.
 */
public record EcuSerial(String value) implements Comparable<EcuSerial> {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public EcuSerial {
        if (!ALLOWED.matcher(value).matches() || value.startsWith(".")) {
            throw new AgentException(
                    "invalid_ecu_serial",
                    "ECU serial must be 1-64 of A-Z a-z 0-9 . _ - (not starting with '.')",
                    false);
        }
    }

    /** Parses and validates an ECU serial. */
    public static EcuSerial of(String raw) {
        return new EcuSerial(raw.trim());
    }

    @Override
    public int compareTo(EcuSerial other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
