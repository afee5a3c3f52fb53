package io.tsunagu.server.command;

import io.tsunagu.protocol.TsunaguException;

/** A command request that cannot be served; {@link #kind()} says which HTTP status family fits. */
public final class CommandException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem, for the API's status mapping. */
    public enum Kind {
        /** The request is wrong (400): unknown action, bad parameter, expiry in the past. */
        INVALID,
        /** No such command for this car (404). */
        NOT_FOUND,
        /** The request conflicts with the command's state or an earlier request (409). */
        CONFLICT
    }

    private final Kind kind;

    public CommandException(Kind kind, String code, String message) {
        super(code, message, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static CommandException invalid(String code, String message) {
        return new CommandException(Kind.INVALID, code, message);
    }
}
