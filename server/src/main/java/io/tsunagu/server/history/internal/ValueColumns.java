package io.tsunagu.server.history.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.telemetry.SignalValue;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Maps a {@link SignalValue} onto three columns: a type tag, a {@code double} (numbers, booleans as 1/0) and a text
 * (strings, and lists as JSON arrays). Numbers go into the double column so the engine can aggregate them and read them
 * back bit-exactly; the tag brings booleans and lists back as their own types. Thread-safe.
 */
public final class ValueColumns {
    public static final byte NUM = 0;
    public static final byte BOOL = 1;
    public static final byte TEXT = 2;
    public static final byte TEXT_LIST = 3;
    public static final byte NUM_LIST = 4;

    /** The largest tag whose value lives in the double column, so numeric aggregates can fold it. */
    public static final byte LAST_NUMERIC = BOOL;

    private static final TypeReference<List<String>> TEXTS = new TypeReference<>() {};
    private static final TypeReference<List<Double>> NUMBERS = new TypeReference<>() {};

    private final ObjectMapper json = new ObjectMapper();

    /** The type tag of {@code value}. */
    public byte kind(SignalValue value) {
        return switch (value) {
            case SignalValue.Num n -> NUM;
            case SignalValue.Bool b -> BOOL;
            case SignalValue.Text t -> TEXT;
            case SignalValue.TextList l -> TEXT_LIST;
            case SignalValue.NumList l -> NUM_LIST;
        };
    }

    /** The double column of {@code value}; NaN (stored as null) for values that live in the text column. */
    public double number(SignalValue value) {
        return switch (value) {
            case SignalValue.Num n -> n.value();
            case SignalValue.Bool b -> b.value() ? 1 : 0;
            default -> Double.NaN;
        };
    }

    /** The text column of {@code value}; null for values that live in the double column. */
    public @Nullable String text(SignalValue value) {
        return switch (value) {
            case SignalValue.Text t -> t.value();
            case SignalValue.TextList l -> toJson(l.values());
            case SignalValue.NumList l -> toJson(l.values());
            default -> null;
        };
    }

    /** Rebuilds the value stored as {@code kind}, {@code number} and {@code text}. */
    public SignalValue value(byte kind, double number, @Nullable CharSequence text) {
        return switch (kind) {
            case NUM -> new SignalValue.Num(number);
            case BOOL -> new SignalValue.Bool(number != 0);
            case TEXT -> new SignalValue.Text(text == null ? "" : text.toString());
            case TEXT_LIST -> new SignalValue.TextList(fromJson(text, TEXTS));
            case NUM_LIST -> new SignalValue.NumList(fromJson(text, NUMBERS));
            default -> throw new TsunaguException("history_corrupt", "unknown stored value kind " + kind, false);
        };
    }

    private String toJson(List<?> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new TsunaguException("history_write_failed", "cannot encode list value: " + e.getMessage(), false, e);
        }
    }

    private <T> T fromJson(@Nullable CharSequence text, TypeReference<T> type) {
        try {
            return json.readValue(text == null ? "[]" : text.toString(), type);
        } catch (JsonProcessingException e) {
            throw new TsunaguException("history_corrupt", "stored list value is not JSON: " + e.getMessage(), false, e);
        }
    }
}
