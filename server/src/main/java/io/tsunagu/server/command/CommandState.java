package io.tsunagu.server.command;

import java.util.Locale;

/**
 * Where a command is: {@code queued → sent → delivered → executed | failed | refused}, or {@code expired} / {@code
 * cancelled} before the car took it. {@code refused} means the car's verifier rejected the envelope (bad signature,
 * replay, ...); {@code failed} means the car accepted it but could not carry it out.
 */
public enum CommandState {
    /** Stored, not yet handed to the broker (the car is offline or not subscribed). */
    QUEUED,
    /** Published to the car's command topic; no acknowledgement yet. Re-sent when the car reconnects. */
    SENT,
    /** The car verified it and started executing. */
    DELIVERED,
    EXECUTED,
    FAILED,
    REFUSED,
    /** Its expiry passed before the car took it. */
    EXPIRED,
    CANCELLED;

    /** The stored and JSON form, e.g. {@code queued}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CommandState fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    /** True once nothing the car or a user does changes it (with one exception, see {@code CommandService}). */
    public boolean isFinal() {
        return switch (this) {
            case QUEUED, SENT, DELIVERED -> false;
            case EXECUTED, FAILED, REFUSED, EXPIRED, CANCELLED -> true;
        };
    }
}
