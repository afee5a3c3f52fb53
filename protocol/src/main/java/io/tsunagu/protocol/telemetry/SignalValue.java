package io.tsunagu.protocol.telemetry;

import java.util.List;

/**
 * A typed signal value, already checked against the signal's VSS datatype. Numbers of every VSS numeric type are held
 * as {@code double} (exact for integers up to 2^53, which covers every VSS numeric signal in practice).
 */
public sealed interface SignalValue {

    /** A numeric value (VSS int8..uint64, float, double). */
    record Num(double value) implements SignalValue {}

    /** A VSS boolean. */
    record Bool(boolean value) implements SignalValue {}

    /** A VSS string (including enumerations with allowed values). */
    record Text(String value) implements SignalValue {}

    /** A VSS string[] value. */
    record TextList(List<String> values) implements SignalValue {
        public TextList {
            values = List.copyOf(values);
        }
    }

    /** A VSS numeric array value (int8[]..double[]). */
    record NumList(List<Double> values) implements SignalValue {
        public NumList {
            values = List.copyOf(values);
        }
    }

    static SignalValue of(double value) {
        return new Num(value);
    }

    static SignalValue of(boolean value) {
        return new Bool(value);
    }

    static SignalValue of(String value) {
        return new Text(value);
    }
}
