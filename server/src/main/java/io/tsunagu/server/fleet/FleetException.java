package io.tsunagu.server.fleet;

import io.tsunagu.protocol.TsunaguException;

/** A fleet operation failed; {@link #code()} is one of the constants below and stable for API clients. */
public final class FleetException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    /** Registering a VIN that is already registered (HTTP 409). */
    public static final String VEHICLE_EXISTS = "vehicle_exists";
    /** The VIN is not registered (HTTP 404). */
    public static final String VEHICLE_NOT_FOUND = "vehicle_not_found";
    /** The vehicle is revoked and gets no new certificates (HTTP 409). */
    public static final String VEHICLE_REVOKED = "vehicle_revoked";
    /** Model, owner or a tag is malformed; the message names which (HTTP 400). */
    public static final String INVALID_VEHICLE = "invalid_vehicle";
    /** Creating an API user whose name is taken (HTTP 409). */
    public static final String USER_EXISTS = "user_exists";
    /** The API user does not exist (HTTP 404). */
    public static final String USER_NOT_FOUND = "user_not_found";
    /** A user name is malformed (HTTP 400). */
    public static final String INVALID_USER = "invalid_user";
    /** A certificate request is malformed, e.g. a non-positive validity or a bad SAN (HTTP 400). */
    public static final String INVALID_CERTIFICATE_REQUEST = "invalid_certificate_request";
    /** The CA or server key material on disk is missing, unreadable or inconsistent (fatal, needs an operator). */
    public static final String CA_UNAVAILABLE = "ca_unavailable";
    /** The metadata database failed; retriable (HTTP 503). */
    public static final String STORAGE_FAILED = "storage_failed";

    public FleetException(String code, String message) {
        super(code, message, false);
    }

    public FleetException(String code, String message, boolean retriable, Throwable cause) {
        super(code, message, retriable, cause);
    }

    static FleetException storage(String what, Exception cause) {
        return new FleetException(STORAGE_FAILED, what + " failed: " + cause.getMessage(), true, cause);
    }
}
