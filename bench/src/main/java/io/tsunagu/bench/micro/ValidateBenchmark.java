package io.tsunagu.bench.micro;

import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.vss.SignalCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Checking the {@value EvFleet#SIGNALS_PER_FRAME} decoded values of one frame against the VSS 6.0 catalog (one op = one
 * frame): datatype, range and allowed values, producing typed values. Baseline: only the catalog lookup of each path,
 * the floor any validation pays. Cycles through 256 distinct frames from 64 simulated cars.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ValidateBenchmark {
    private static final int FRAMES = 256;

    private final SignalCatalog catalog = SignalCatalog.vss6();
    private final List<RawFrame> frames = new ArrayList<>(FRAMES);
    private int next;

    @Setup
    public void simulateFrames() {
        EvFleet fleet = new EvFleet(64, 7, 1_200);
        for (int i = 0; i < FRAMES; i++) {
            frames.add(fleet.nextFrame(i % fleet.size()));
        }
    }

    private RawFrame nextFrame() {
        next = (next + 1) & (FRAMES - 1);
        return frames.get(next);
    }

    @Benchmark
    public void validate(Blackhole sink) {
        for (RawSignal signal : nextFrame().signals()) {
            sink.consume(catalog.validate(signal.path(), signal.value()));
        }
    }

    /** Baseline: the path lookup alone, no checks and no typed value. */
    @Benchmark
    public void lookupOnlyBaseline(Blackhole sink) {
        for (RawSignal signal : nextFrame().signals()) {
            sink.consume(catalog.find(signal.path()).isPresent());
        }
    }
}
