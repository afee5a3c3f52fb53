package io.tsunagu.protocol.vss;

import io.tsunagu.protocol.TsunaguException;

/** A signal catalog or overlay file that cannot be used; the message names the file or node and the problem. */
public final class InvalidCatalogException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    public static final String CODE = "invalid_catalog";

    public InvalidCatalogException(String message) {
        super(CODE, message, false);
    }

    public InvalidCatalogException(String message, Throwable cause) {
        super(CODE, message, false, cause);
    }
}
