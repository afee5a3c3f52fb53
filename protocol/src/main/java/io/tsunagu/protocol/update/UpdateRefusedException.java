package io.tsunagu.protocol.update;

import io.tsunagu.protocol.TsunaguException;

/**
 * The car must not use this metadata or image. {@link #code()} is the reason's wire code; the message says which
 * repository, role and value were at fault. Only {@link UpdateRefusalReason#INCOMPLETE_DOWNLOAD} is retriable.
 */
public final class UpdateRefusedException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    private final UpdateRefusalReason reason;

    public UpdateRefusedException(UpdateRefusalReason reason, String message) {
        super(reason.code(), message, reason == UpdateRefusalReason.INCOMPLETE_DOWNLOAD);
        this.reason = reason;
    }

    public UpdateRefusedException(UpdateRefusalReason reason, String message, Throwable cause) {
        super(reason.code(), message, reason == UpdateRefusalReason.INCOMPLETE_DOWNLOAD, cause);
        this.reason = reason;
    }

    /** Why the car refused. */
    public UpdateRefusalReason reason() {
        return reason;
    }
}
