package io.tsunagu.protocol;

/**
 * Root of every Tsunagu exception. Unchecked; {@link #retriable()} tells a caller (for example the agent's backoff)
 * whether trying again later can succeed.
 */
public class TsunaguException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final boolean retriable;

    public TsunaguException(String code, String message, boolean retriable) {
        super(message);
        this.code = code;
        this.retriable = retriable;
    }

    public TsunaguException(String code, String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retriable = retriable;
    }

    /** A stable, machine-readable error code such as {@code invalid_vin}. */
    public String code() {
        return code;
    }

    /** True when the same operation may succeed later (a network fault); false for bad input. */
    public boolean retriable() {
        return retriable;
    }
}
