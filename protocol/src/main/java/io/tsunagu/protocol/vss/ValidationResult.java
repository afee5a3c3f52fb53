package io.tsunagu.protocol.vss;

import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.protocol.telemetry.SignalValue;

/** The outcome of checking one raw value against the catalog: a typed value, or a reason with an explanation. */
public sealed interface ValidationResult {

    /**
     * The value fits the signal.
     *
     * @param value its typed form
     * @param path the catalog's own instance of the signal's path (equal to the one checked): the same {@code String}
     *     for every sample of a signal, so maps keyed on paths downstream (twin, history symbols) find it by identity
     *     with its hash already computed, and the decoded copy becomes garbage at once
     */
    record Accepted(SignalValue value, String path) implements ValidationResult {}

    /**
     * The value does not fit the signal.
     *
     * @param code why, one of UNKNOWN_SIGNAL, WRONG_DATATYPE, OUT_OF_RANGE, NOT_ALLOWED_VALUE
     * @param message names the path, the value and what was expected
     */
    record Rejected(RejectReason code, String message) implements ValidationResult {}
}
