package io.tsunagu.protocol.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Streams the JSON telemetry forms into frames without building a tree: {@code {"ts": ..., "seq": ..., "signals":
 * {...}}} and {@code {"batch": [<frame>, ...]}}. Unknown fields are skipped for forward compatibility. Stateless apart
 * from its thread-safe {@link JsonFactory}; safe for any number of threads.
 */
final class JsonTelemetryReader {
    private static final String REDACTED_SOURCE =
            "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ";

    private final JsonFactory factory;

    JsonTelemetryReader() {
        // Signal paths come from cars: don't intern them into the JVM's string table.
        this.factory = JsonFactory.builder()
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    List<RawFrame> read(byte[] payload) {
        try (JsonParser parser = factory.createParser(payload)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedPayloadException("payload is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedPayloadException("payload must be a JSON object, got " + describe(first));
            }
            List<RawFrame> frames = readRoot(parser);
            if (parser.nextToken() != null) {
                throw new MalformedPayloadException(
                        "unexpected content after the JSON object at " + at(parser.currentTokenLocation()));
            }
            return frames;
        } catch (JsonProcessingException e) {
            throw new MalformedPayloadException("invalid JSON at " + at(e.getLocation()) + ": " + jacksonMessage(e), e);
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: Jackson's symbol table refusing a flood of colliding field names.
            throw new MalformedPayloadException("invalid JSON: " + e.getMessage(), e);
        }
    }

    private List<RawFrame> readRoot(JsonParser parser) throws IOException {
        FrameParts single = new FrameParts("");
        @Nullable List<RawFrame> batch = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (name.equals("batch")) {
                batch = readBatch(parser);
            } else if (!single.read(name, parser)) {
                parser.skipChildren();
            }
        }
        if (batch == null) {
            return List.of(single.build());
        }
        if (single.touched) {
            throw new MalformedPayloadException("payload has both 'batch' and frame fields ('ts', 'seq', 'signals')");
        }
        return batch;
    }

    private List<RawFrame> readBatch(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new MalformedPayloadException(
                    "field 'batch' must be an array, got " + describe(parser.currentToken()));
        }
        List<RawFrame> frames = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            String where = "batch[" + frames.size() + "]: ";
            if (token != JsonToken.START_OBJECT) {
                throw new MalformedPayloadException(where + "a frame must be an object, got " + describe(token));
            }
            FrameParts parts = new FrameParts(where);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (!parts.read(name, parser)) {
                    parser.skipChildren();
                }
            }
            frames.add(parts.build());
        }
        if (frames.isEmpty()) {
            throw new MalformedPayloadException("field 'batch' is empty");
        }
        return frames;
    }

    /** The fields of one frame as they arrive, in any order. */
    private static final class FrameParts {
        private final String where;
        private boolean touched;
        private long tsMs;
        private boolean hasTs;
        private long seq = Sample.NO_SEQ;
        private @Nullable List<RawSignal> signals;

        FrameParts(String where) {
            this.where = where;
        }

        /** Reads the value of a known field; false for unknown fields (left for the caller to skip). */
        boolean read(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "ts" -> {
                    tsMs = TsParser.parse(parser, where);
                    hasTs = true;
                }
                case "seq" -> seq = readSeq(parser);
                case "signals" -> signals = readSignals(parser);
                default -> {
                    return false;
                }
            }
            touched = true;
            return true;
        }

        RawFrame build() {
            if (!hasTs) {
                throw new MalformedPayloadException(where + "field 'ts' is missing");
            }
            if (signals == null) {
                throw new MalformedPayloadException(where + "field 'signals' is missing");
            }
            return new RawFrame(tsMs, seq, signals);
        }

        private long readSeq(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return Sample.NO_SEQ;
            }
            if (token != JsonToken.VALUE_NUMBER_INT
                    || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || parser.getLongValue() < 0) {
                throw new MalformedPayloadException(
                        where + "field 'seq' must be a non-negative integer, got " + describeValue(parser));
            }
            return parser.getLongValue();
        }

        private List<RawSignal> readSignals(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new MalformedPayloadException(where + "field 'signals' must be an object of path: value, got "
                        + describe(parser.currentToken()));
            }
            List<RawSignal> result = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String path = parser.currentName();
                if (path.isEmpty()) {
                    throw new MalformedPayloadException(where + "a signal path is empty");
                }
                result.add(new RawSignal(path, readValue(parser, parser.nextToken(), path)));
            }
            return result;
        }

        private Object readValue(JsonParser parser, JsonToken token, String path) throws IOException {
            Object scalar = scalar(parser, token);
            if (scalar != null) {
                return scalar;
            }
            if (token != JsonToken.START_ARRAY) {
                throw new MalformedPayloadException(where + "signal '" + abbreviate(path)
                        + "' must be a number, string, boolean or array, got " + describe(token));
            }
            List<Object> items = new ArrayList<>();
            for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                Object value = scalar(parser, item);
                if (value == null) {
                    throw new MalformedPayloadException(where + "signal '" + abbreviate(path)
                            + "': array elements must be numbers, strings or booleans, got " + describe(item));
                }
                items.add(value);
            }
            return items;
        }
    }

    /** A scalar JSON value as Long, Double, Boolean or String; null for anything else. */
    private static @Nullable Object scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT ->
                parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) parser.getDoubleValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> parser.getText();
            default -> null;
        };
    }

    /** Parses {@code ts}: integral epoch milliseconds or an ISO-8601 instant such as {@code 2025-01-31T12:00:00Z}. */
    private static final class TsParser {
        static long parse(JsonParser parser, String where) throws IOException {
            JsonToken token = parser.currentToken();
            long tsMs;
            if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                tsMs = parser.getLongValue();
            } else if (token == JsonToken.VALUE_STRING) {
                tsMs = parseIso(parser.getText(), where);
            } else {
                throw new MalformedPayloadException(where + "field 'ts' must be integral epoch milliseconds or an"
                        + " ISO-8601 string, got " + describeValue(parser));
            }
            if (tsMs <= 0) {
                throw new MalformedPayloadException(
                        where + "field 'ts' must be after 1970-01-01T00:00:00Z, got " + tsMs);
            }
            return tsMs;
        }

        private static long parseIso(String text, String where) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                throw new MalformedPayloadException(where + "field 'ts' is not an ISO-8601 time such as"
                        + " 2025-01-31T12:00:00Z: '" + abbreviate(text) + "'");
            }
        }
    }

    private static String describeValue(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
            case VALUE_STRING -> "'" + abbreviate(parser.getText()) + "'";
            default -> describe(token);
        };
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    /** Jackson's message without its note that it hides the source (which it does, as we want). */
    private static String jacksonMessage(JsonProcessingException e) {
        return e.getOriginalMessage().replace(REDACTED_SOURCE, "[");
    }

    private static String at(@Nullable JsonLocation location) {
        return location == null
                ? "unknown position"
                : "line " + location.getLineNr() + " column " + location.getColumnNr();
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
