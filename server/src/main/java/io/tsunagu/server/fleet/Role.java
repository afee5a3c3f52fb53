package io.tsunagu.server.fleet;

import java.util.Locale;

/** What an API user may do. Stored in lower case ({@code admin}, {@code operator}, {@code owner}). */
public enum Role {
    /** Everything, including user management. */
    ADMIN,
    /** Sees and operates every vehicle; manages no users. */
    OPERATOR,
    /** Sees only the vehicles whose owner is this user's name. */
    OWNER;

    /** The stored form, e.g. {@code operator}. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the stored form (case-insensitive). */
    public static Role fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
