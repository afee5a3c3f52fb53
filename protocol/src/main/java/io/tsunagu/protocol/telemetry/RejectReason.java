package io.tsunagu.protocol.telemetry;

import java.util.Locale;

/**
 * Why a telemetry message or one of its values was not accepted. The {@link #code()} is stable: it appears in metrics
 * labels, error bodies and logs, so renaming a constant must keep its code.
 */
public enum RejectReason {
    /** The payload could not be decoded (bad JSON or protobuf, missing {@code ts}, ...). */
    MALFORMED_PAYLOAD,
    /** The path is not a signal of the catalog (unknown, or a branch). */
    UNKNOWN_SIGNAL,
    /** The value does not have the signal's VSS datatype (or does not fit its integer width). */
    WRONG_DATATYPE,
    /** The value lies outside the signal's catalog min/max. */
    OUT_OF_RANGE,
    /** The value is not one of the signal's catalog {@code allowed} values. */
    NOT_ALLOWED_VALUE,
    /** The message exceeds the gateway's size limit. */
    PAYLOAD_TOO_LARGE,
    /** The car sends faster than its rate limit allows. */
    RATE_LIMITED,
    /** The car published to a topic it may not use. */
    TOPIC_NOT_ALLOWED,
    /** A message with the same (VIN, seq) was already accepted. */
    DUPLICATE;

    private final String code;

    RejectReason() {
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** The stable lower-case code, e.g. {@code unknown_signal}. */
    public String code() {
        return code;
    }
}
