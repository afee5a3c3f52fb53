package io.tsunagu.server.fleet;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Validated, normalised registration input: stripped model and owner, sorted tags. */
record VehicleInput(String model, String owner, SortedSet<String> tags) {
    static final Pattern TAG = Pattern.compile("[a-z0-9._-]{1,64}");
    static final int MAX_TEXT_CHARS = 200;
    static final int MAX_TAGS = 64;

    static VehicleInput validate(String model, String owner, Set<String> tags) {
        String cleanModel = text("model", model);
        String cleanOwner = text("owner", owner);
        if (tags.size() > MAX_TAGS) {
            throw invalid("a vehicle has at most " + MAX_TAGS + " tags, got " + tags.size());
        }
        for (String tag : tags) {
            if (!TAG.matcher(tag).matches()) {
                throw invalid("tag '" + tag + "' is invalid: a tag is 1-64 characters from a-z 0-9 . _ -");
            }
        }
        return new VehicleInput(cleanModel, cleanOwner, new TreeSet<>(tags));
    }

    private static String text(String field, String value) {
        String stripped = value.strip();
        if (stripped.isEmpty()) {
            throw invalid(field + " must not be blank");
        }
        if (stripped.length() > MAX_TEXT_CHARS) {
            throw invalid(field + " has " + stripped.length() + " characters, at most " + MAX_TEXT_CHARS + " allowed");
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field + " must not contain control characters");
        }
        return stripped;
    }

    private static FleetException invalid(String message) {
        return new FleetException(FleetException.INVALID_VEHICLE, message);
    }
}
