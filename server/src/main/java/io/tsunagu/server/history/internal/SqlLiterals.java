package io.tsunagu.server.history.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SQL string literals, made only from text of a known alphabet. A literal symbol value is resolved to its key when the
 * statement is compiled, and a compiled statement is reused ({@link QuestDbReader}), so the fleet-wide latest query
 * names its series as literals instead of binding hundreds of strings per call. Never SQL from arbitrary text: a value
 * outside the VIN alphabet, VSS name characters and the series separator gets no literal, and the caller binds it
 * instead. Thread-safe.
 */
public final class SqlLiterals {
    private static final int MAX_LENGTH = 512;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./-]+");

    private SqlLiterals() {}

    /** {@code 'value'}, or empty when {@code value} holds a character outside the safe alphabet (quotes included). */
    public static Optional<String> quoted(String value) {
        if (value.isEmpty()
                || value.length() > MAX_LENGTH
                || !SAFE.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of('\'' + value + '\''); // the alphabet holds no quote, so nothing needs escaping
    }
}
