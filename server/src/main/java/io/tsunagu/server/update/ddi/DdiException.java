package io.tsunagu.server.update.ddi;

import io.tsunagu.protocol.TsunaguException;

/** A DDI request that cannot be served, or a storage failure (retriable). */
public final class DdiException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    /** No such (unrevoked) vehicle. */
    public static final String VEHICLE_NOT_FOUND = "vehicle_not_found";
    /** No such action of this car, or not one the device may see now (404). */
    public static final String ACTION_NOT_FOUND = "action_not_found";
    /** The action is finished: feedback is no longer taken (hawkBit answers 410 Gone). */
    public static final String ACTION_CLOSED = "action_closed";
    /** No such software module or artifact for this car (404). */
    public static final String ARTIFACT_NOT_FOUND = "artifact_not_found";
    /** The metadata database failed; try again. */
    public static final String STORAGE_FAILED = "ddi_storage_failed";

    public DdiException(String code, String message) {
        super(code, message, false);
    }

    private DdiException(String code, String message, Throwable cause) {
        super(code, message, true, cause);
    }

    static DdiException storage(String what, Throwable cause) {
        return new DdiException(STORAGE_FAILED, "DDI storage failed while " + what + ": " + cause.getMessage(), cause);
    }
}
