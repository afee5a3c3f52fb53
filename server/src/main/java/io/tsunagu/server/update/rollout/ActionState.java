package io.tsunagu.server.update.rollout;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of one car's update action. Forward only, except that a rejected cancel returns a {@code canceling} action to
 * the state it was in.
 *
 * <pre>
 * scheduled ─(group starts)─▶ pending ─(gates pass)─▶ offered ─▶ downloading ─▶ downloaded ─▶ installing
 *                                                        │            │              │             │
 *                                                        └────────────┴──────────────┴─────────────┴─▶ success | failure
 * cancel: scheduled | pending ─▶ cancelled;  offered … installing ─▶ canceling ─(device confirms)─▶ cancelled
 * </pre>
 */
public enum ActionState {
    /** Created with its campaign; its group has not started. */
    SCHEDULED,
    /** Its group runs; waiting for the campaign to release it (not paused) and for the gates (window, parked car). */
    PENDING,
    /** The car may fetch it now (hawkBit: running); a car on MQTT was notified. */
    OFFERED,
    /** The car reported it is downloading (DDI {@code download}, or {@code proceeding} before any download report). */
    DOWNLOADING,
    /** The car has every artifact (DDI {@code downloaded}). */
    DOWNLOADED,
    /** The car is installing ({@code proceeding} after {@code downloaded}). */
    INSTALLING,
    /** A cancel was requested; the car has to confirm ({@code canceled}) or reject it. */
    CANCELING,
    /** The car reported success (DDI {@code closed} + {@code success}). */
    SUCCESS,
    /** The car reported failure (DDI {@code closed} + {@code failure}). */
    FAILURE,
    /** Cancelled before the car saw it, or the car confirmed the cancel. */
    CANCELLED;

    /** States in which the car works on the action (offered up to installing). */
    public static final Set<ActionState> RUNNING = EnumSet.of(OFFERED, DOWNLOADING, DOWNLOADED, INSTALLING);

    /** States in which the car may hear of the action: running, or being cancelled. */
    public static final Set<ActionState> OPEN_ON_CAR =
            EnumSet.of(OFFERED, DOWNLOADING, DOWNLOADED, INSTALLING, CANCELING);

    /** Every state that is not final. */
    public static final Set<ActionState> OPEN =
            EnumSet.of(SCHEDULED, PENDING, OFFERED, DOWNLOADING, DOWNLOADED, INSTALLING, CANCELING);

    /** The stored and JSON form, e.g. {@code downloading}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return !OPEN.contains(this);
    }

    public static ActionState fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
