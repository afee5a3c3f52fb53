package io.tsunagu.protocol.telemetry;

import io.tsunagu.protocol.TsunaguException;

/**
 * A telemetry payload that cannot be decoded. The message says exactly what was wrong (which field, which frame, where
 * in the JSON), so it can be shown to the person who sent it. Not retriable: the same bytes fail again.
 */
public final class MalformedPayloadException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    /** The error code, equal to {@link RejectReason#MALFORMED_PAYLOAD}'s code. */
    public static final String CODE = "malformed_payload";

    public MalformedPayloadException(String message) {
        super(CODE, message, false);
    }

    public MalformedPayloadException(String message, Throwable cause) {
        super(CODE, message, false, cause);
    }
}
