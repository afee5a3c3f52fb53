package io.tsunagu.protocol.telemetry;

import io.tsunagu.protocol.Vin;

/**
 * One accepted value of one signal of one car at one instant: the unit every consumer (twin, history, rules) reads.
 *
 * @param vin the car
 * @param tsMs sample time, epoch milliseconds UTC
 * @param seq the car's per-message sequence number, or {@link #NO_SEQ} when the car sent none
 * @param path VSS path, e.g. {@code Vehicle.Speed}
 * @param value the typed value
 */
public record Sample(Vin vin, long tsMs, long seq, String path, SignalValue value) {
    /** Marks a sample whose message carried no sequence number. */
    public static final long NO_SEQ = Long.MIN_VALUE;

    public boolean hasSeq() {
        return seq != NO_SEQ;
    }
}
