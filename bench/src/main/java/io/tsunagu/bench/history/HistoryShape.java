package io.tsunagu.bench.history;

import io.tsunagu.bench.micro.EvFleet;
import java.time.Instant;

/**
 * The size of the {@code history-query} data set, scaled down from the target's 10,000 cars × 20 signals × a day at
 * 1 Hz (17 billion rows) so it loads on a 2-core machine while every query keeps its character: every car reports
 * {@value EvFleet#SIGNALS_PER_FRAME} signals at 1 Hz during the last {@code windowS} seconds of the day (the fleet-wide
 * window), and the first car, the <em>day car</em>, reports them for the whole {@code daySeconds} (the series that is
 * downsampled, and the car whose last hour is read raw). Timestamps start at {@link #DAY_START_MS}, a UTC midnight, so
 * the day is one QuestDB day partition.
 *
 * @param cars cars in the fleet window (the day car is one of them)
 * @param windowS seconds of data of every car, at the end of the day
 * @param daySeconds seconds of data of the day car, 86,400 for a full day
 * @param seed seed of VINs and of the simulated cars
 */
public record HistoryShape(int cars, int windowS, int daySeconds, long seed) {
    /** 2026-01-02T00:00:00Z: the first sample of the day car. */
    public static final long DAY_START_MS = EvFleet.START_EPOCH_MS + 86_400_000L;

    /** Seconds in a full day. */
    public static final int FULL_DAY_S = 86_400;

    public HistoryShape {
        require(cars >= 1, "cars must be at least 1, got " + cars);
        require(windowS >= 1, "the fleet window must be at least 1 s, got " + windowS);
        require(daySeconds >= windowS, "the day (" + daySeconds + " s) must not be shorter than the fleet window");
        require(daySeconds <= FULL_DAY_S, "the day must be at most " + FULL_DAY_S + " s, got " + daySeconds);
    }

    /** End of the day car's data, exclusive: one second after its last sample. */
    public long dayEndMs() {
        return DAY_START_MS + daySeconds * 1_000L;
    }

    /** First second of the fleet window. */
    public long windowStartMs() {
        return dayEndMs() - windowS * 1_000L;
    }

    /** Rows stored: the day car alone before the window, then every car in the window. */
    public long samples() {
        return ((long) (daySeconds - windowS) + (long) cars * windowS) * EvFleet.SIGNALS_PER_FRAME;
    }

    /** One line for the report, e.g. {@code 10000 cars × 20 signals × 120 s + 1 car × 86400 s = ...}. */
    public String describe() {
        return cars + " cars × " + EvFleet.SIGNALS_PER_FRAME + " signals × " + windowS + " s at 1 Hz, plus the day"
                + " car's " + daySeconds + " s (" + Instant.ofEpochMilli(DAY_START_MS) + " to "
                + Instant.ofEpochMilli(dayEndMs()) + "): " + samples() + " rows";
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
