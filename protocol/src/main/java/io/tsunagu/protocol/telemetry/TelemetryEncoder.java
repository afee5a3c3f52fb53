package io.tsunagu.protocol.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.wire.DoubleList;
import io.tsunagu.protocol.wire.SignalValue;
import io.tsunagu.protocol.wire.StringList;
import io.tsunagu.protocol.wire.TelemetryBatch;
import io.tsunagu.protocol.wire.TelemetryFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes frames into the two payload forms {@link TelemetryDecoder} reads. Values may be {@code Double}/{@code Float},
 * {@code Long}/{@code Integer}/{@code Short}/{@code Byte}, {@code Boolean}, {@code String}, or a {@code List} of
 * strings or of numbers; anything else, an empty frame list or a non-finite number in JSON is a programming error and
 * throws {@link IllegalArgumentException}. Thread-safe.
 */
public final class TelemetryEncoder {
    private final JsonFactory factory = new JsonFactory();

    /** The protobuf {@code TelemetryBatch} form (MQTT content type {@code application/x-protobuf}). */
    public byte[] toProtobuf(List<RawFrame> frames) {
        requireFrames(frames);
        TelemetryBatch.Builder batch = TelemetryBatch.newBuilder();
        for (RawFrame frame : frames) {
            TelemetryFrame.Builder wire = batch.addFramesBuilder().setTsMs(frame.tsMs());
            if (frame.seq() != Sample.NO_SEQ) {
                wire.setSeq(frame.seq());
            }
            for (RawSignal signal : frame.signals()) {
                wire.addSignals(protobufValue(signal));
            }
        }
        return batch.build().toByteArray();
    }

    /**
     * The JSON form (MQTT content type {@code application/json}): the single-frame object for one frame, {@code
     * {"batch": [...]}} for more. {@code seq} is written only when the frame has one.
     */
    public byte[] toJson(List<RawFrame> frames) {
        requireFrames(frames);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 48 * frames.size());
        try (JsonGenerator json = factory.createGenerator(out)) {
            if (frames.size() == 1) {
                writeFrame(json, frames.get(0));
            } else {
                json.writeStartObject();
                json.writeArrayFieldStart("batch");
                for (RawFrame frame : frames) {
                    writeFrame(json, frame);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return out.toByteArray();
    }

    private static void writeFrame(JsonGenerator json, RawFrame frame) throws IOException {
        json.writeStartObject();
        json.writeNumberField("ts", frame.tsMs());
        if (frame.seq() != Sample.NO_SEQ) {
            json.writeNumberField("seq", frame.seq());
        }
        json.writeObjectFieldStart("signals");
        for (RawSignal signal : frame.signals()) {
            json.writeFieldName(signal.path());
            writeValue(json, signal.path(), signal.value());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, String path, Object value) throws IOException {
        switch (value) {
            case Double d -> json.writeNumber(finite(path, d));
            case Float f -> json.writeNumber(finite(path, f));
            case Long l -> json.writeNumber(l);
            case Integer i -> json.writeNumber(i);
            case Short s -> json.writeNumber(s);
            case Byte b -> json.writeNumber(b);
            case Boolean b -> json.writeBoolean(b);
            case String s -> json.writeString(s);
            case List<?> list
            when !nested(list) -> {
                json.writeStartArray();
                for (Object item : list) {
                    writeValue(json, path, item);
                }
                json.writeEndArray();
            }
            default -> throw unsupported(path, value);
        }
    }

    private static SignalValue protobufValue(RawSignal signal) {
        SignalValue.Builder wire = SignalValue.newBuilder().setPath(signal.path());
        switch (signal.value()) {
            case Double d -> wire.setDoubleValue(d);
            case Float f -> wire.setDoubleValue(f);
            case Long l -> wire.setIntValue(l);
            case Integer i -> wire.setIntValue(i);
            case Short s -> wire.setIntValue(s);
            case Byte b -> wire.setIntValue(b);
            case Boolean b -> wire.setBoolValue(b);
            case String s -> wire.setStringValue(s);
            case List<?> list
            when list.stream().allMatch(String.class::isInstance) ->
                wire.setStringList(StringList.newBuilder()
                        .addAllValues(list.stream().map(String.class::cast).toList()));
            case List<?> list
            when list.stream().allMatch(TelemetryEncoder::isNumber) ->
                wire.setDoubleList(DoubleList.newBuilder()
                        .addAllValues(list.stream()
                                .map(n -> ((Number) n).doubleValue())
                                .toList()));
            default -> throw unsupported(signal.path(), signal.value());
        }
        return wire.build();
    }

    private static boolean isNumber(Object item) {
        return item instanceof Double
                || item instanceof Float
                || item instanceof Long
                || item instanceof Integer
                || item instanceof Short
                || item instanceof Byte;
    }

    private static boolean nested(List<?> list) {
        return list.stream().anyMatch(item -> item instanceof List<?> || item == null);
    }

    private static double finite(String path, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("signal '" + path + "': JSON cannot carry " + value);
        }
        return value;
    }

    private static IllegalArgumentException unsupported(String path, Object value) {
        return new IllegalArgumentException("signal '" + path + "': cannot encode a value of type "
                + value.getClass().getName() + " (numbers, booleans, strings, or lists of strings or numbers)");
    }

    private static void requireFrames(List<RawFrame> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a telemetry message holds at least one frame");
        }
    }
}
