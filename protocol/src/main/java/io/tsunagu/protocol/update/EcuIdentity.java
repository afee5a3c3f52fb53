package io.tsunagu.protocol.update;

/**
 * One ECU of this car as Uptane identifies it: its unique serial (the "ECU identifier") and its hardware id (which
 * images can run on it).
 */
public record EcuIdentity(String serial, String hardwareId) {
    private static final int MAX_LENGTH = 128;

    public EcuIdentity {
        check("ECU serial", serial);
        check("hardware id", hardwareId);
    }

    /** Validates both: 1-128 printable ASCII characters without spaces. */
    public static EcuIdentity of(String serial, String hardwareId) {
        return new EcuIdentity(serial, hardwareId);
    }

    private static void check(String what, String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(
                    what + " must be 1-" + MAX_LENGTH + " printable ASCII characters: '" + value + "'");
        }
    }
}
