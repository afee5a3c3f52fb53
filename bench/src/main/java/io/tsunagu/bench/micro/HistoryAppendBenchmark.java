package io.tsunagu.bench.micro;

import io.tsunagu.protocol.telemetry.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@code history-append} row of the benchmark table: time-ordered group commits of {@value #BATCH_SAMPLES} samples
 * (one simulated second of {@value #CARS} cars × {@value EvFleet#SIGNALS_PER_FRAME} signals), each one durable commit,
 * through Tsunagu's {@code QuestDbSampleStore.appendDurably} and through QuestDB's raw append API on the same columns
 * with the same commit mode (see {@link SampleAppender.Kind}). The score is in samples (rows) per second; target: Tsunagu
 * ≥ 0.5× the raw engine. The next batch is simulated outside the measured time. Bytes per stored sample are measured
 * separately by {@link HistoryFootprint}, on a fixed data set.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(HistoryAppendBenchmark.BATCH_SAMPLES)
public class HistoryAppendBenchmark {
    static final int CARS = 500;
    static final int BATCH_SAMPLES = CARS * EvFleet.SIGNALS_PER_FRAME;

    @Param({"tsunagu", "tsunagu-apply-ack", "raw-wal", "raw-table"})
    public String writer;

    private Path dir;
    private SampleAppender appender;
    private EvFleet fleet;
    private List<Sample> batch;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("tsunagu-bench-history-");
        appender = SampleAppender.Kind.of(writer).open(dir.resolve("db"));
        fleet = new EvFleet(CARS, 17, 1_200);
    }

    /** Per invocation is fine here: one commit takes milliseconds, far above JMH's per-invocation overhead. */
    @Setup(Level.Invocation)
    public void simulateNextSecond() {
        batch = fleet.nextSecond();
    }

    @Benchmark
    public void append() {
        appender.append(batch);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        appender.close();
        Directories.delete(dir);
    }
}
