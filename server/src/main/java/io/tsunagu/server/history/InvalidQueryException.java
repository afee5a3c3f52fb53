package io.tsunagu.server.history;

import io.tsunagu.protocol.TsunaguException;

/** A history query that cannot be answered as asked; the message names the offending parameter. */
public final class InvalidQueryException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    /** The stable error code, {@code invalid_query}. */
    public static final String CODE = "invalid_query";

    public InvalidQueryException(String message) {
        super(CODE, message, false);
    }
}
