package io.tsunagu.sim.model;

import java.util.random.RandomGenerator;

/**
 * Speed control for one trip: a sequence of urban and highway segments, each with a target speed and a length, with
 * stops (traffic lights, junctions) between urban segments. Accelerates within a comfort limit, brakes so that it
 * stops at the end of each segment, and never exceeds the segment's target.
 */
final class DriveCycle {
    static final double MAX_SPEED_KMH = 130;
    private static final double URBAN_ACCEL = 1.5; // m/s², brisk city driving
    private static final double HIGHWAY_ACCEL = 0.9;
    private static final double DECEL = 2.0;

    private final RandomGenerator random;
    private double tripRemainingM;
    private double segmentRemainingM;
    private double targetMs;
    private double accelLimit;
    private double stopRemainingS;

    DriveCycle(RandomGenerator random, double tripLengthM) {
        this.random = random;
        this.tripRemainingM = tripLengthM;
        nextSegment();
    }

    boolean finished() {
        return tripRemainingM <= 0 && segmentRemainingM <= 0 && stopRemainingS <= 0;
    }

    /** Ends the trip after the current segment (low battery). */
    void finishSoon() {
        tripRemainingM = 0;
        segmentRemainingM = Math.min(segmentRemainingM, 300);
    }

    /**
     * The acceleration (m/s²) to apply for the next {@code dt} seconds at speed {@code v}; also counts stop time.
     */
    double acceleration(double v, double dt) {
        if (stopRemainingS > 0) {
            stopRemainingS -= dt;
            return -Math.min(DECEL, v / dt);
        }
        double brakeDistance = v * v / (2 * DECEL);
        if (segmentRemainingM <= brakeDistance + v * dt) {
            return -Math.min(DECEL, v / dt);
        }
        if (v < targetMs) {
            return Math.min(accelLimit, (targetMs - v) / dt);
        }
        return Math.max(-DECEL, (targetMs - v) / dt);
    }

    /** Records distance driven; starts the next segment (after a stop) when this one is done. */
    void advance(double distanceM, double v) {
        segmentRemainingM -= distanceM;
        if (segmentRemainingM <= 1 && v < 0.5 && stopRemainingS <= 0) {
            if (tripRemainingM > 0) {
                stopRemainingS = 5 + random.nextDouble() * 35;
                nextSegment();
            } else {
                segmentRemainingM = 0;
            }
        }
    }

    private void nextSegment() {
        boolean highway = tripRemainingM > 6_000 && random.nextDouble() < 0.4;
        double length = highway ? 3_000 + random.nextDouble() * 12_000 : 250 + random.nextDouble() * 1_250;
        length = Math.min(length, Math.max(200, tripRemainingM));
        double targetKmh = highway ? 90 + random.nextDouble() * 35 : 30 + random.nextDouble() * 22;
        targetMs = Math.min(targetKmh, MAX_SPEED_KMH) / 3.6;
        accelLimit = highway ? HIGHWAY_ACCEL : URBAN_ACCEL;
        segmentRemainingM = length;
        tripRemainingM -= length;
    }
}
