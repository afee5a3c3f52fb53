package io.tsunagu.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tsunagu.agent.buffer.BufferedFrame;
import io.tsunagu.protocol.wire.DoubleList;
import io.tsunagu.protocol.wire.SignalValue;
import io.tsunagu.protocol.wire.StringList;
import io.tsunagu.protocol.wire.TelemetryBatch;
import io.tsunagu.protocol.wire.TelemetryFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Encodes telemetry with the generated protobuf classes: one {@code TelemetryFrame} per recorded instant (what the
 * offline buffer stores) and one {@code TelemetryBatch} (or its JSON form) per MQTT message. To be replaced by the
 * protocol module's {@code TelemetryEncoder} once it lands.
 */
final class ProtobufFrames {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProtobufFrames() {}

    /** One frame; values must be Double/Float, Long/Integer/Short/Byte, Boolean, String or a List of those. */
    static byte[] encodeFrame(long tsMs, long seq, Map<String, Object> signals) {
        TelemetryFrame.Builder frame = TelemetryFrame.newBuilder().setTsMs(tsMs).setSeq(seq);
        signals.forEach((path, value) -> frame.addSignals(signal(path, value)));
        return frame.build().toByteArray();
    }

    /**
     * A {@code TelemetryBatch} of already encoded frames. A batch is field 1 repeated, so the frame bytes are copied
     * in as length-delimited fields without decoding them.
     */
    static byte[] protobufBatch(List<BufferedFrame> frames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            for (BufferedFrame frame : frames) {
                out.writeByteArray(TelemetryBatch.FRAMES_FIELD_NUMBER, frame.payload());
            }
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The JSON form: {@code {"frames":[{"tsMs":..,"seq":..,"signals":{"Vehicle.Speed":12.5,...}}]}}.
     */
    static byte[] jsonBatch(List<BufferedFrame> frames) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("frames");
        for (BufferedFrame buffered : frames) {
            TelemetryFrame frame = parse(buffered);
            ObjectNode node = array.addObject().put("tsMs", frame.getTsMs()).put("seq", frame.getSeq());
            ObjectNode signals = node.putObject("signals");
            frame.getSignalsList().forEach(s -> signals.set(s.getPath(), JSON.valueToTree(javaValue(s))));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("JSON write failed", e);
        }
    }

    private static TelemetryFrame parse(BufferedFrame buffered) {
        try {
            return TelemetryFrame.parseFrom(buffered.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new AgentException(
                    "corrupt_buffer", "buffered frame " + buffered.seq() + " is not protobuf", false, e);
        }
    }

    private static Object javaValue(SignalValue value) {
        return switch (value.getValueCase()) {
            case DOUBLE_VALUE -> value.getDoubleValue();
            case INT_VALUE -> value.getIntValue();
            case BOOL_VALUE -> value.getBoolValue();
            case STRING_VALUE -> value.getStringValue();
            case STRING_LIST -> value.getStringList().getValuesList();
            case DOUBLE_LIST -> value.getDoubleList().getValuesList();
            case VALUE_NOT_SET -> List.of();
        };
    }

    private static SignalValue signal(String path, Object value) {
        SignalValue.Builder out = SignalValue.newBuilder().setPath(path);
        switch (value) {
            case Double d -> out.setDoubleValue(d);
            case Float f -> out.setDoubleValue(f);
            case Long l -> out.setIntValue(l);
            case Integer i -> out.setIntValue(i);
            case Short s -> out.setIntValue(s);
            case Byte b -> out.setIntValue(b);
            case Boolean b -> out.setBoolValue(b);
            case String s -> out.setStringValue(s);
            case List<?> list -> setList(out, path, list);
            default -> throw unsupported(path, value);
        }
        return out.build();
    }

    private static void setList(SignalValue.Builder out, String path, List<?> list) {
        if (list.stream().allMatch(String.class::isInstance)) {
            out.setStringList(StringList.newBuilder()
                    .addAllValues(list.stream().map(String.class::cast).toList()));
        } else if (list.stream().allMatch(Number.class::isInstance)) {
            out.setDoubleList(DoubleList.newBuilder()
                    .addAllValues(
                            list.stream().map(n -> ((Number) n).doubleValue()).toList()));
        } else {
            throw unsupported(path, list);
        }
    }

    private static AgentException unsupported(String path, Object value) {
        return new AgentException(
                "unsupported_value",
                "signal " + path + " has a value of type " + value.getClass().getSimpleName()
                        + "; use Double, Long, Boolean, String or a List of String or Number",
                false);
    }
}
