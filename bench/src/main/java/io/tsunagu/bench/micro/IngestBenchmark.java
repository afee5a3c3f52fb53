package io.tsunagu.bench.micro;

import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.TelemetryEncoder;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.history.QuestDbSampleStore;
import io.tsunagu.server.ingest.IngestConfig;
import io.tsunagu.server.ingest.IngestOutcome;
import io.tsunagu.server.ingest.IngestPipeline;
import io.tsunagu.server.ingest.RateLimiter;
import io.tsunagu.server.ingest.RejectionLog;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.twin.TwinStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * The whole ingest path without MQTT: {@link IngestPipeline#submit} of one protobuf message per car for {@value #CARS}
 * cars (one simulated second, {@value EvFleet#SIGNALS_PER_FRAME} signals each), then waiting until every message is
 * durable, as the gateway waits before its QoS 1 acknowledgement. One op = one message. Stages: size check, rate limit
 * (off), decode, validate, group commit through the history store, fan-out to the twins. Baseline {@code discard}: the
 * same pipeline with a durable sink that stores nothing, so the difference is the cost of the history.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(IngestBenchmark.CARS)
public class IngestBenchmark {
    static final int CARS = 500;
    private static final Optional<String> PROTOBUF = Optional.of(Topics.CONTENT_TYPE_PROTOBUF);

    @Param({"questdb", "discard"})
    public String history;

    private final TelemetryEncoder encoder = new TelemetryEncoder();
    private final TwinStore twins = new TwinStore();
    private final List<byte[]> payloads = new ArrayList<>(CARS);
    private final List<CompletableFuture<IngestOutcome>> pending = new ArrayList<>(CARS);
    private Path dir;
    private Optional<QuestDbSampleStore> store = Optional.empty();
    private IngestPipeline pipeline;
    private EvFleet fleet;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("tsunagu-bench-ingest-");
        Consumer<List<Sample>> durableSink = samples -> {};
        if (history.equals("questdb")) {
            QuestDbSampleStore opened = QuestDbSampleStore.open(dir.resolve("history"));
            store = Optional.of(opened);
            durableSink = opened::appendDurably;
        }
        Metrics metrics = new Metrics();
        pipeline = new IngestPipeline(
                IngestConfig.defaults(),
                SignalCatalog.vss6(),
                durableSink,
                twins::applyCommitted, // as the server wires it
                new RejectionLog(metrics, Clock.systemUTC()),
                metrics,
                new RateLimiter(0, 1, System::nanoTime));
        fleet = new EvFleet(CARS, 19, 1_200);
    }

    /** Encoding the next second's messages is the cars' work, outside the measured time. */
    @Setup(Level.Invocation)
    public void encodeNextSecond() {
        payloads.clear();
        for (int car = 0; car < CARS; car++) {
            payloads.add(encoder.toProtobuf(List.of(fleet.nextFrame(car))));
        }
    }

    @Benchmark
    public void submitAndAwaitDurable() {
        pending.clear();
        for (int car = 0; car < CARS; car++) {
            pending.add(pipeline.submit(fleet.vin(car), payloads.get(car), PROTOBUF));
        }
        for (CompletableFuture<IngestOutcome> outcome : pending) {
            if (!outcome.join().fullyAccepted()) {
                throw new IllegalStateException("simulated message not fully accepted: " + outcome.join());
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        pipeline.close();
        store.ifPresent(QuestDbSampleStore::close);
        Directories.delete(dir);
    }
}
