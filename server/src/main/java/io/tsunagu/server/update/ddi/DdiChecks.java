package io.tsunagu.server.update.ddi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Presence checks for required DDI fields. A record's compact constructor calls them; when Jackson builds the record
 * from a device's JSON, the {@link IllegalArgumentException} becomes a mapping error that the route answers with 400.
 */
final class DdiChecks {
    private DdiChecks() {}

    static <T> T require(@Nullable T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        return value;
    }

    /** An unmodifiable copy keeping the order; a missing (null) map reads as empty. */
    static <V> Map<String, V> orderedCopy(@Nullable Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** An unmodifiable copy; a missing (null) list reads as empty. */
    static <T> List<T> copy(@Nullable List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
