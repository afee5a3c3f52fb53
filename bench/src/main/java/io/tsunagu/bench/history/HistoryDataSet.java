package io.tsunagu.bench.history;

import io.tsunagu.bench.micro.EvFleet;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generates the rows of a {@link HistoryShape} in time order from the simulator's EV model ({@link EvFleet}: driving,
 * parking, charging, 20 realistic VSS signals a frame), and hands them out in batches so the whole set never sits in
 * memory. The day car is simulated alone up to the fleet window, then all cars together, so its day is one continuous
 * simulation; the other cars' clocks are shifted into the window. Deterministic for a given shape. Not thread-safe.
 */
public final class HistoryDataSet {
    /** Rows per batch handed out (at least; a fleet second is never split). */
    public static final int BATCH_SAMPLES = 100_000;

    private static final int WARM_UP_S = 1_200;

    private final HistoryShape shape;
    private final EvFleet fleet;

    public HistoryDataSet(HistoryShape shape) {
        this.shape = shape;
        this.fleet = new EvFleet(shape.cars(), shape.seed(), WARM_UP_S);
    }

    /** The day car: the one with a full day of data. */
    public Vin dayCar() {
        return fleet.vin(0);
    }

    /** Every car, the day car first. */
    public List<Vin> cars() {
        List<Vin> vins = new ArrayList<>(fleet.size());
        for (int i = 0; i < fleet.size(); i++) {
            vins.add(fleet.vin(i));
        }
        return vins;
    }

    /** Generates every row once, in time order, as batches of about {@value #BATCH_SAMPLES} to {@code sink}. */
    public void generate(Consumer<List<Sample>> sink) {
        long dayCarShiftMs = HistoryShape.DAY_START_MS - (fleet.timeMs() + 1_000);
        long fleetShiftMs = dayCarShiftMs + (shape.daySeconds() - shape.windowS()) * 1_000L;
        List<Sample> batch = new ArrayList<>(BATCH_SAMPLES + EvFleet.SIGNALS_PER_FRAME);
        for (int s = 0; s < shape.daySeconds() - shape.windowS(); s++) {
            batch.addAll(frame(0, dayCarShiftMs));
            batch = flushIfFull(batch, sink);
        }
        for (int s = 0; s < shape.windowS(); s++) {
            batch.addAll(frame(0, dayCarShiftMs));
            for (int car = 1; car < fleet.size(); car++) {
                batch.addAll(frame(car, fleetShiftMs));
            }
            batch = flushIfFull(batch, sink);
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }

    private List<Sample> frame(int car, long shiftMs) {
        RawFrame frame = fleet.nextFrame(car);
        return fleet.samples(fleet.vin(car), new RawFrame(frame.tsMs() + shiftMs, frame.seq(), frame.signals()));
    }

    private static List<Sample> flushIfFull(List<Sample> batch, Consumer<List<Sample>> sink) {
        if (batch.size() < BATCH_SAMPLES) {
            return batch;
        }
        sink.accept(batch);
        return new ArrayList<>(BATCH_SAMPLES + EvFleet.SIGNALS_PER_FRAME);
    }
}
