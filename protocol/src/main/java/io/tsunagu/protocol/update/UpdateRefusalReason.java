package io.tsunagu.protocol.update;

import java.util.Locale;

/**
 * Why a car refuses OTA metadata or an image. The {@link #code()} is stable: it is reported back to the cloud (and
 * later to hawkBit as the failure reason), so never rename a constant.
 */
public enum UpdateRefusalReason {
    /** A signature from a key the role authorises does not verify (tampered metadata: arbitrary software). */
    BAD_SIGNATURE,
    /** Fewer distinct authorised keys signed than the role's threshold (TUF 5.3-5.6). */
    THRESHOLD_NOT_MET,
    /** A role's version is lower than the one the car already trusts (TUF rollback attack). */
    ROLLBACK_METADATA,
    /** The image's release counter is lower than the one installed on the ECU (Uptane 5.4.4.2). */
    ROLLBACK_IMAGE,
    /** Metadata expired against the car's clock (TUF freeze attack). */
    EXPIRED_METADATA,
    /** The director's target is missing from the image repository or differs in length or hashes (Uptane). */
    MIX_AND_MATCH,
    /** More bytes arrived than the metadata allows (TUF endless data attack). */
    ENDLESS_DATA,
    /** The bytes' hash differs from the one in the signed metadata. */
    HASH_MISMATCH,
    /** The target is for another hardware id than the ECU's (Uptane 5.2.3). */
    WRONG_HARDWARE_ID,
    /** The director names an ECU serial this car does not have. */
    UNKNOWN_ECU,
    /** Not TUF JSON as this car reads it: bad syntax, floats, duplicate keys, missing or mistyped fields. */
    MALFORMED_METADATA,
    /** Versions of timestamp, snapshot and targets do not agree with each other (TUF 5.5.3, 5.6.3). */
    INCONSISTENT_METADATA,
    /** A new root is not version N+1, or the chain of new roots is longer than the car accepts. */
    INVALID_ROOT_ROTATION,
    /** A download ended before the signed length was reached; retriable, resume from {@code receivedBytes}. */
    INCOMPLETE_DOWNLOAD;

    private final String code;

    UpdateRefusalReason() {
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** The stable lower-case wire code, e.g. {@code mix_and_match}. */
    public String code() {
        return code;
    }
}
