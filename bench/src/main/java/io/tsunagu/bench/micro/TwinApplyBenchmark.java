package io.tsunagu.bench.micro;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.server.twin.TwinStore;
import io.tsunagu.sim.VinGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Applying one frame of {@value EvFleet#SIGNALS_PER_FRAME} samples to the twin of one car (one op = one frame), in a
 * {@link TwinStore} already holding every car's twin; cars take turns, so with 10 k cars the working set is well beyond
 * the CPU caches as in production. Each car has two frames one second apart, applied alternately: half the ops carry
 * newer values (replaced), half older ones (kept), the same lookups and comparisons as fresh data.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TwinApplyBenchmark {
    /** Models are simulated for this many cars at most; more cars reuse their values under distinct VINs. */
    private static final int MAX_MODELS = 500;

    @Param({"1000", "10000"})
    public int cars;

    private final TwinStore twins = new TwinStore();
    private final List<Vin> vins = new ArrayList<>();
    private final List<List<Sample>> frames = new ArrayList<>();
    private int next;

    @Setup
    public void fillTwins() {
        EvFleet fleet = new EvFleet(Math.min(cars, MAX_MODELS), 11, 1_200);
        List<Vin> allVins = VinGenerator.generate(cars, 13);
        for (int second = 0; second < 2; second++) {
            for (int car = 0; car < cars; car++) {
                int model = car % fleet.size();
                vins.add(allVins.get(car));
                frames.add(fleet.samples(allVins.get(car), fleet.nextFrame(model)));
            }
        }
        for (int i = 0; i < frames.size(); i++) {
            twins.apply(vins.get(i), frames.get(i));
        }
    }

    @Benchmark
    public void apply() {
        int i = next;
        next = i + 1 == frames.size() ? 0 : i + 1;
        twins.apply(vins.get(i), frames.get(i));
    }
}
