package io.tsunagu.bench.micro;

import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.TelemetryEncoder;
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

/**
 * The car side: encoding one frame of {@value EvFleet#SIGNALS_PER_FRAME} signals into one message (one op = one
 * message), JSON and protobuf. Cycles through 256 distinct frames from 64 simulated cars.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncodeBenchmark {
    private static final int FRAMES = 256;

    private final TelemetryEncoder encoder = new TelemetryEncoder();
    private final List<List<RawFrame>> frames = new ArrayList<>(FRAMES);
    private int next;

    @Setup
    public void simulateFrames() {
        EvFleet fleet = new EvFleet(64, 7, 1_200);
        for (int i = 0; i < FRAMES; i++) {
            frames.add(List.of(fleet.nextFrame(i % fleet.size())));
        }
    }

    private List<RawFrame> nextFrames() {
        next = (next + 1) & (FRAMES - 1);
        return frames.get(next);
    }

    @Benchmark
    public byte[] json() {
        return encoder.toJson(nextFrames());
    }

    @Benchmark
    public byte[] protobuf() {
        return encoder.toProtobuf(nextFrames());
    }
}
