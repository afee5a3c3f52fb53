package io.tsunagu.protocol.vss;

import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.protocol.telemetry.SignalValue;

/** The outcome of checking one raw value against the catalog: a typed value, or a reason with an explanation. */
public sealed interface ValidationResult {

    /** The value fits the signal; {@code value} is its typed form. */
    record Accepted(SignalValue value) implements ValidationResult {}

    /**
     * The value does not fit the signal.
     *
     * @param code why, one of UNKNOWN_SIGNAL, WRONG_DATATYPE, OUT_OF_RANGE, NOT_ALLOWED_VALUE
     * @param message names the path, the value and what was expected
     */
    record Rejected(RejectReason code, String message) implements ValidationResult {}
}
