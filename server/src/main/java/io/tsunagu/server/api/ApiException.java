package io.tsunagu.server.api;

import io.tsunagu.protocol.TsunaguException;

/** An error answered to an API client with an HTTP status and a JSON body {@code {"code", "message"}}. */
public final class ApiException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String code, String message) {
        super(code, message, status >= 500);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }
}
