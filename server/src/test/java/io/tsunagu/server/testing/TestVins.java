package io.tsunagu.server.testing;

import io.tsunagu.protocol.Vin;

/** Distinct, valid North-American VINs for tests, with the check digit (position 9) computed. */
public final class TestVins {
    private TestVins() {}

    /**
     * The VIN {@code prefix8} + check digit + {@code "AS"} + six-digit {@code serial}; {@code prefix8} must start with
     * 1-5 and avoid I, O and Q.
     */
    public static Vin northAmerican(String prefix8, int serial) {
        if (prefix8.length() != 8) {
            throw new IllegalArgumentException("prefix must have 8 characters, got '" + prefix8 + "'");
        }
        String draft = prefix8 + "0AS" + String.format("%06d", serial);
        return Vin.of(prefix8 + Vin.checkDigit(draft) + draft.substring(9));
    }
}
