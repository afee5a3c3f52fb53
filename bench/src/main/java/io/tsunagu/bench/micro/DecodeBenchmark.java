package io.tsunagu.bench.micro;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.TelemetryDecoder;
import io.tsunagu.protocol.telemetry.TelemetryEncoder;
import io.tsunagu.protocol.wire.TelemetryBatch;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
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
 * Decoding one telemetry message of one frame with {@value EvFleet#SIGNALS_PER_FRAME} signals (one op = one message),
 * JSON and protobuf, with the MQTT content type given. Baselines: the bare library on the same bytes, i.e. Jackson's
 * streaming parser reading every token, and protobuf's {@code TelemetryBatch.parseFrom}; the difference is what
 * Tsunagu's decoder adds (checks, boxing, building {@link RawFrame}s). Cycles through 256 distinct messages from 64
 * simulated cars.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecodeBenchmark {
    private static final int MESSAGES = 256;
    private static final Optional<String> JSON = Optional.of(Topics.CONTENT_TYPE_JSON);
    private static final Optional<String> PROTOBUF = Optional.of(Topics.CONTENT_TYPE_PROTOBUF);

    private final TelemetryDecoder decoder = new TelemetryDecoder();
    private final JsonFactory jackson = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
    private final byte[][] json = new byte[MESSAGES][];
    private final byte[][] protobuf = new byte[MESSAGES][];
    private int next;

    @Setup
    public void encodeMessages() {
        EvFleet fleet = new EvFleet(64, 7, 1_200);
        TelemetryEncoder encoder = new TelemetryEncoder();
        for (int i = 0; i < MESSAGES; i++) {
            List<RawFrame> frames = List.of(fleet.nextFrame(i % fleet.size()));
            json[i] = encoder.toJson(frames);
            protobuf[i] = encoder.toProtobuf(frames);
        }
    }

    private int nextIndex() {
        next = (next + 1) & (MESSAGES - 1);
        return next;
    }

    @Benchmark
    public List<RawFrame> json() {
        return decoder.decode(json[nextIndex()], JSON);
    }

    @Benchmark
    public List<RawFrame> protobuf() {
        return decoder.decode(protobuf[nextIndex()], PROTOBUF);
    }

    /** Baseline: Jackson's streaming parser reading every name and value of the same JSON, building nothing. */
    @Benchmark
    public void jsonJacksonTokensBaseline(Blackhole sink) throws IOException {
        try (JsonParser parser = jackson.createParser(json[nextIndex()])) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME -> sink.consume(parser.currentName());
                    case VALUE_NUMBER_INT -> sink.consume(parser.getLongValue());
                    case VALUE_NUMBER_FLOAT -> sink.consume(parser.getDoubleValue());
                    case VALUE_TRUE, VALUE_FALSE -> sink.consume(parser.getBooleanValue());
                    case VALUE_STRING -> sink.consume(parser.getText());
                    default -> sink.consume(token);
                }
            }
        }
    }

    /** Baseline: protobuf's generated parser alone (signal paths stay undecoded UTF-8 until read). */
    @Benchmark
    public TelemetryBatch protobufParseBaseline() throws InvalidProtocolBufferException {
        return TelemetryBatch.parseFrom(protobuf[nextIndex()]);
    }
}
