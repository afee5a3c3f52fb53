package io.tsunagu.protocol.update;

import java.util.Locale;

/** The four top-level TUF roles every repository (director and image repository) has. */
public enum Role {
    ROOT,
    TARGETS,
    SNAPSHOT,
    TIMESTAMP;

    private final String type;

    Role() {
        this.type = name().toLowerCase(Locale.ROOT);
    }

    /** The {@code _type} value and the key in root's {@code roles}, e.g. {@code snapshot}. */
    public String type() {
        return type;
    }

    /** The file name other metadata refers to it by in {@code meta}, e.g. {@code targets.json}. */
    public String fileName() {
        return type + ".json";
    }
}
