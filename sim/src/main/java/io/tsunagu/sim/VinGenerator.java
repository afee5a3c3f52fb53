package io.tsunagu.sim;

import io.tsunagu.protocol.Vin;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic, valid North-American VINs (49 CFR 565): a real-looking world manufacturer identifier, random vehicle
 * descriptor, the check digit at position 9, a model year code at position 10, a plant code and a six-digit serial.
 */
public final class VinGenerator {
    private static final String[] WMIS = {"5YJ", "1G1", "1N4", "3FA", "5UX", "1FT", "2HG", "4T1"};
    private static final String ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"; // ISO 3779: no I, O, Q
    private static final String MODEL_YEARS = "LMNPRST"; // 2020-2026

    private VinGenerator() {}

    /** {@code count} distinct VINs; the same seed always gives the same list. */
    public static List<Vin> generate(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LinkedHashSet<Vin> vins = new LinkedHashSet<>();
        while (vins.size() < count) {
            vins.add(next(random));
        }
        return new ArrayList<>(vins);
    }

    private static Vin next(SplittableRandom random) {
        StringBuilder vin = new StringBuilder(WMIS[random.nextInt(WMIS.length)]);
        for (int i = 0; i < 5; i++) {
            vin.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        vin.append('0'); // placeholder: position 9 has weight 0 in the check-digit sum
        vin.append(MODEL_YEARS.charAt(random.nextInt(MODEL_YEARS.length())));
        vin.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        vin.append("%06d".formatted(random.nextInt(1_000_000)));
        vin.setCharAt(8, Vin.checkDigit(vin.toString()));
        return Vin.of(vin.toString());
    }
}
