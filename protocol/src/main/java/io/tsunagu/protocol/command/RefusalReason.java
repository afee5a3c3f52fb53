package io.tsunagu.protocol.command;

import java.util.Locale;

/** Why a car refuses a command envelope. The {@link #code()} is stable: it is reported back to the cloud. */
public enum RefusalReason {
    /** Not a parseable envelope or body. */
    MALFORMED,
    /** No signature or no key id. */
    UNSIGNED,
    /** The signature does not verify with the named key. */
    BAD_SIGNATURE,
    /** The key id is not one the car trusts. */
    UNKNOWN_KEY,
    /** The key was trusted once and has been revoked. */
    REVOKED_KEY,
    /** The body names another VIN. */
    WRONG_VIN,
    /** {@code expires_at} has passed. */
    EXPIRED,
    /** The counter is not above the last one accepted for this key (and the command id is not a known one). */
    REPLAYED,
    /** The algorithm is not Ed25519 or SHA256withECDSA, or does not match the key. */
    UNSUPPORTED_ALGORITHM,
    /**
     * Signed with a fleet key for an action the fleet key may not command while the car trusts a paired user key (see
     * {@link FleetKeyPolicy}): sign it with the user's key.
     */
    FLEET_KEY_NOT_PERMITTED;

    private final String code;

    RefusalReason() {
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** The stable lower-case code, e.g. {@code bad_signature}. */
    public String code() {
        return code;
    }
}
