package io.tsunagu.agent.update;

import java.util.Locale;

/**
 * The steps of an update action as the car reports them, in the order they happen. {@link #COMMITTED}, {@link
 * #ROLLED_BACK} and {@link #FAILED} are final: exactly one of them ends every action the car started to install.
 * Mapping to hawkBit DDI feedback ({@code status.execution} / {@code result.finished}): downloading → {@code
 * download}, downloaded → {@code downloaded}, installing/installed/rebooting → {@code proceeding}, committed → {@code closed/success}, rolled_back and
 * failed → {@code closed/failure}.
 */
public enum StepKind {
    /** The update client is fetching the image (reported by the client, not by the A/B system). */
    DOWNLOADING,
    /** Every image of the action is downloaded and verified (reported by the client, not by the A/B system). */
    DOWNLOADED,
    /** Writing the image into the inactive slot has started. */
    INSTALLING,
    /** The slot holds the image, verified by its SHA-256, and is marked as the trial slot. */
    INSTALLED,
    /** The car reboots into the trial slot. */
    REBOOTING,
    /** The trial slot booted and passed its health check; it is now the active slot for good. */
    COMMITTED,
    /** The trial slot failed (health check or boot attempts exhausted); the car runs the previous slot again. */
    ROLLED_BACK,
    /** The action ended before the trial boot (bad image, interrupted write, I/O fault); nothing changed. */
    FAILED;

    /** The name on the wire: lower case, e.g. {@code rolled_back}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind for a wire name. */
    public static StepKind ofWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    /** True for the steps that end an action. */
    public boolean isFinal() {
        return this == COMMITTED || this == ROLLED_BACK || this == FAILED;
    }
}
