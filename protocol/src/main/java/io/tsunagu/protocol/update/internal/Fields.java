package io.tsunagu.protocol.update.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.protocol.update.UpdateRefusalReason;
import io.tsunagu.protocol.update.UpdateRefusedException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Typed reads of metadata fields; every missing or mistyped field is malformed metadata naming its path. */
public final class Fields {
    private Fields() {}

    public static JsonNode object(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw malformed(where + "." + field + " must be an object");
        }
        return node;
    }

    public static JsonNode array(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isArray()) {
            throw malformed(where + "." + field + " must be an array");
        }
        return node;
    }

    public static String text(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            throw malformed(where + "." + field + " must be a string");
        }
        return node.textValue();
    }

    public static Optional<String> optionalText(JsonNode parent, String field, String where) {
        return parent.has(field) ? Optional.of(text(parent, field, where)) : Optional.empty();
    }

    /** A non-negative integer that fits in a long (versions, lengths, counters). */
    public static long count(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw malformed(where + "." + field + " must be a non-negative integer");
        }
        return node.longValue();
    }

    public static boolean flag(JsonNode parent, String field, boolean fallback, String where) {
        JsonNode node = parent.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw malformed(where + "." + field + " must be a boolean");
        }
        return node.booleanValue();
    }

    /** TUF {@code expires}: ISO 8601 in UTC, e.g. {@code 2030-01-01T00:00:00Z}. */
    public static Instant instant(JsonNode parent, String field, String where) {
        String value = text(parent, field, where);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw malformed(where + "." + field + " is not an ISO 8601 UTC time: " + value);
        }
    }

    public static UpdateRefusedException malformed(String message) {
        return new UpdateRefusedException(UpdateRefusalReason.MALFORMED_METADATA, message);
    }
}
