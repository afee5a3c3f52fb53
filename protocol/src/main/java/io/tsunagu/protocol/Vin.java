package io.tsunagu.protocol;

import java.util.Locale;

/**
 * A vehicle identification number per ISO 3779: 17 characters from {@code 0-9 A-Z} without {@code I}, {@code O} and
 * {@code Q}. For North-American VINs (world manufacturer identifier starting with 1-5) position 9 is a check digit
 * (49 CFR 565) and is verified; elsewhere position 9 is manufacturer-defined and only the alphabet is checked.
 */
public record Vin(String value) implements Comparable<Vin> {
    private static final int LENGTH = 17;
    private static final int CHECK_DIGIT_INDEX = 8;
    private static final int[] WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

    public Vin {
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidVinException(value, problem);
        }
    }

    /** Parses and validates a VIN; lower-case input is accepted and upper-cased. */
    public static Vin of(String raw) {
        return new Vin(raw.trim().toUpperCase(Locale.ROOT));
    }

    /** True if {@code raw} is a valid VIN as {@link #of} would accept it. */
    public static boolean isValid(String raw) {
        return problem(raw.trim().toUpperCase(Locale.ROOT)) == null;
    }

    /** The check digit ({@code 0-9} or {@code X}) that position 9 must hold for this 17-character VIN. */
    public static char checkDigit(String vin17) {
        int sum = 0;
        for (int i = 0; i < LENGTH; i++) {
            sum += transliterate(vin17.charAt(i)) * WEIGHTS[i];
        }
        int remainder = sum % 11;
        return remainder == 10 ? 'X' : (char) ('0' + remainder);
    }

    /** True for VINs whose world manufacturer identifier is North-American (first character 1-5). */
    public boolean northAmerican() {
        return isNorthAmerican(value);
    }

    private static boolean isNorthAmerican(String vin) {
        char first = vin.charAt(0);
        return first >= '1' && first <= '5';
    }

    private static String problem(String vin) {
        if (vin.length() != LENGTH) {
            return "a VIN has 17 characters, got " + vin.length();
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = vin.charAt(i);
            if (transliterate(c) < 0) {
                return "character '" + c + "' at position " + (i + 1) + " is not allowed (0-9 and A-Z without I, O, Q)";
            }
        }
        if (isNorthAmerican(vin)) {
            char expected = checkDigit(vin);
            if (vin.charAt(CHECK_DIGIT_INDEX) != expected) {
                return "check digit at position 9 is '" + vin.charAt(CHECK_DIGIT_INDEX) + "', expected '" + expected
                        + "'";
            }
        }
        return null;
    }

    /** ISO 3779 / 49 CFR 565 transliteration of one character; -1 if it may not appear in a VIN. */
    private static int transliterate(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return switch (c) {
            case 'A', 'J' -> 1;
            case 'B', 'K', 'S' -> 2;
            case 'C', 'L', 'T' -> 3;
            case 'D', 'M', 'U' -> 4;
            case 'E', 'N', 'V' -> 5;
            case 'F', 'W' -> 6;
            case 'G', 'P', 'X' -> 7;
            case 'H', 'Y' -> 8;
            case 'R', 'Z' -> 9;
            default -> -1;
        };
    }

    @Override
    public int compareTo(Vin other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
