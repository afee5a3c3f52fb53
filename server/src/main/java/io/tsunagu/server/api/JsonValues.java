package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tsunagu.protocol.telemetry.SignalValue;

/** Renders typed signal values as JSON: numbers, booleans, strings and arrays, as the car sent them. */
final class JsonValues {
    private JsonValues() {}

    static JsonNode of(SignalValue value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (value) {
            case SignalValue.Num n -> number(n.value());
            case SignalValue.Bool b -> f.booleanNode(b.value());
            case SignalValue.Text t -> f.textNode(t.value());
            case SignalValue.TextList l -> {
                ArrayNode array = f.arrayNode();
                l.values().forEach(array::add);
                yield array;
            }
            case SignalValue.NumList l -> {
                ArrayNode array = f.arrayNode();
                l.values().forEach(d -> array.add(number(d)));
                yield array;
            }
        };
    }

    /** Integral values render without a fraction (a SoC of 80 reads as 80, not 80.0). */
    static JsonNode number(double value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return f.numberNode((long) value);
        }
        return f.numberNode(value);
    }
}
