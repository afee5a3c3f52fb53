package io.tsunagu.agent;

import io.tsunagu.protocol.TsunaguException;

/** A fault of the in-car agent: bad configuration or credentials (fatal) or a storage fault. */
public final class AgentException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    public AgentException(String code, String message, boolean retriable) {
        super(code, message, retriable);
    }

    public AgentException(String code, String message, boolean retriable, Throwable cause) {
        super(code, message, retriable, cause);
    }
}
