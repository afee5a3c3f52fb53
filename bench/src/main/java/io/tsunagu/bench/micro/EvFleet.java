package io.tsunagu.bench.micro;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.protocol.vss.ValidationResult;
import io.tsunagu.sim.VinGenerator;
import io.tsunagu.sim.model.EvModel;
import io.tsunagu.sim.model.VehicleProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Realistic benchmark input: simulated electric cars ({@link EvModel}, the three built-in profiles round-robin) that
 * report {@value #SIGNALS_PER_FRAME} VSS signals a second, as {@link RawFrame}s (what the decoder produces) or as
 * validated {@link Sample}s (what the history and twin receive). All cars share one simulated clock, so the samples of
 * {@link #nextSecond()} are time-ordered across calls. Deterministic for a given seed. Not thread-safe.
 */
public final class EvFleet {
    /** Signals in every frame: the first twenty the model reports (speed, position, battery, charging, ...). */
    public static final int SIGNALS_PER_FRAME = 20;

    /** 2026-01-01T00:00:00Z, the simulated start. */
    public static final long START_EPOCH_MS = 1_767_225_600_000L;

    private final SignalCatalog catalog = SignalCatalog.vss6();
    private final List<Vin> vins;
    private final List<EvModel> models;
    private final long[] seq;

    /**
     * @param cars number of cars
     * @param seed seed of VINs and models
     * @param warmUpSeconds simulated time to run before the first frame, so that some cars are driving or charging
     *     rather than all parked as at step 0
     */
    public EvFleet(int cars, long seed, int warmUpSeconds) {
        this.vins = VinGenerator.generate(cars, seed);
        this.models = new ArrayList<>(cars);
        this.seq = new long[cars];
        for (int i = 0; i < cars; i++) {
            VehicleProfile profile = VehicleProfile.ALL.get(i % VehicleProfile.ALL.size());
            EvModel model = new EvModel(profile, seed * 1_000_003L + i, START_EPOCH_MS);
            model.step(warmUpSeconds);
            models.add(model);
        }
    }

    /** Number of cars. */
    public int size() {
        return vins.size();
    }

    /** The simulated time now, epoch ms UTC: the timestamp of the latest frames. */
    public long timeMs() {
        return models.stream().mapToLong(EvModel::timeMs).max().orElse(START_EPOCH_MS);
    }

    /** The VIN of car {@code index}. */
    public Vin vin(int index) {
        return vins.get(index);
    }

    /** Steps car {@code index} by one second and returns its next frame (with the next sequence number). */
    public RawFrame nextFrame(int index) {
        EvModel model = models.get(index);
        model.step(1);
        List<RawSignal> signals = new ArrayList<>(SIGNALS_PER_FRAME);
        for (Map.Entry<String, Object> signal : model.signals().entrySet()) {
            if (signals.size() == SIGNALS_PER_FRAME) {
                break;
            }
            signals.add(new RawSignal(signal.getKey(), signal.getValue()));
        }
        return new RawFrame(model.timeMs(), seq[index]++, signals);
    }

    /** Steps every car by one second and returns all their samples, car by car. */
    public List<Sample> nextSecond() {
        List<Sample> samples = new ArrayList<>(size() * SIGNALS_PER_FRAME);
        for (int i = 0; i < size(); i++) {
            samples.addAll(samples(vin(i), nextFrame(i)));
        }
        return samples;
    }

    /** The frame's values as validated samples; every signal the model reports is in the VSS 6.0 catalog. */
    public List<Sample> samples(Vin vin, RawFrame frame) {
        List<Sample> samples = new ArrayList<>(frame.signals().size());
        for (RawSignal signal : frame.signals()) {
            switch (catalog.validate(signal.path(), signal.value())) {
                case ValidationResult.Accepted ok ->
                    samples.add(new Sample(vin, frame.tsMs(), frame.seq(), signal.path(), ok.value()));
                case ValidationResult.Rejected bad ->
                    throw new IllegalStateException("simulated value rejected: " + bad.message());
            }
        }
        return samples;
    }
}
