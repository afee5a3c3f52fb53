package io.tsunagu.server.update.uptane;

import io.tsunagu.protocol.TsunaguException;

/** A request to an Uptane repository that cannot be served; {@link #kind()} says which HTTP status family fits. */
public final class UptaneException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem, for the API's status mapping. */
    public enum Kind {
        /** The request is wrong (400), e.g. an ECU list with two primaries. */
        INVALID,
        /** No such metadata, image or vehicle (404). */
        NOT_FOUND,
        /** The request does not fit the current state (409), e.g. images for hardware the car does not have. */
        CONFLICT,
        /** Keys or metadata cannot be read or written (503). */
        UNAVAILABLE
    }

    private final Kind kind;

    public UptaneException(Kind kind, String code, String message) {
        super(code, message, kind == Kind.UNAVAILABLE);
        this.kind = kind;
    }

    public UptaneException(Kind kind, String code, String message, Throwable cause) {
        super(code, message, kind == Kind.UNAVAILABLE, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static UptaneException invalid(String code, String message) {
        return new UptaneException(Kind.INVALID, code, message);
    }

    static UptaneException notFound(String code, String message) {
        return new UptaneException(Kind.NOT_FOUND, code, message);
    }

    static UptaneException conflict(String code, String message) {
        return new UptaneException(Kind.CONFLICT, code, message);
    }
}
