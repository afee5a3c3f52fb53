package io.tsunagu.server.update.rollout;

import io.tsunagu.protocol.TsunaguException;

/** A rollout request that cannot be served; {@link #kind()} says which HTTP status family fits. */
public final class RolloutException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem, for the API's status mapping. */
    public enum Kind {
        /** The request is wrong (400). */
        INVALID,
        /** No such distribution, campaign or action (404). */
        NOT_FOUND,
        /** The request conflicts with the current state (409). */
        CONFLICT
    }

    private final Kind kind;

    public RolloutException(Kind kind, String code, String message) {
        super(code, message, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static RolloutException invalid(String code, String message) {
        return new RolloutException(Kind.INVALID, code, message);
    }

    public static RolloutException notFound(String code, String message) {
        return new RolloutException(Kind.NOT_FOUND, code, message);
    }

    public static RolloutException conflict(String code, String message) {
        return new RolloutException(Kind.CONFLICT, code, message);
    }
}
