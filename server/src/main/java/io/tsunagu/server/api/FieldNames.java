package io.tsunagu.server.api;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON field names (VSS paths) encoded once for Jackson's generator: a twin document names the same few dozen paths
 * on every render, and a {@link SerializedString} keeps its quoted, escaped UTF-8 bytes, so the generator copies
 * them instead of escaping and encoding the name again. The output is the same as writing the name as a string. At
 * most {@value #MAX_NAMES} names are kept (paths come from the signal catalog, so far fewer are expected); beyond,
 * names are encoded per use. Thread-safe.
 */
final class FieldNames {
    static final int MAX_NAMES = 4_096;

    private final ConcurrentHashMap<String, SerializableString> names = new ConcurrentHashMap<>();

    SerializableString name(String name) {
        SerializableString known = names.get(name);
        if (known != null) {
            return known;
        }
        SerializableString encoded = new SerializedString(name);
        if (names.size() < MAX_NAMES) {
            names.putIfAbsent(name, encoded);
        }
        return encoded;
    }

    int size() {
        return names.size();
    }
}
