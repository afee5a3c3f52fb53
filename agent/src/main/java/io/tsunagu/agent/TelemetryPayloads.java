package io.tsunagu.agent;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.tsunagu.agent.buffer.BufferedFrame;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.telemetry.MalformedPayloadException;
import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.telemetry.TelemetryDecoder;
import io.tsunagu.protocol.telemetry.TelemetryEncoder;
import io.tsunagu.protocol.wire.TelemetryBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's side of the topic contract (README "Topic contract"), built on the protocol module's {@link
 * TelemetryEncoder} and {@link TelemetryDecoder} so the car writes exactly what the cloud reads.
 *
 * <p>The offline buffer stores each frame as a serialized {@code TelemetryFrame}. A protobuf {@code TelemetryBatch} is
 * field 1 repeated, so a batch is built by copying the stored bytes in as length-delimited fields without decoding
 * them. The JSON form (single-frame object or {@code {"batch": [...]}}) decodes the stored frames and lets the encoder
 * write them.
 */
final class TelemetryPayloads {
    private final TelemetryEncoder encoder = new TelemetryEncoder();
    private final TelemetryDecoder decoder = new TelemetryDecoder();

    /**
     * One frame as the buffer stores it.
     *
     * @throws AgentException {@code unsupported_value} for a time before 1970-01-01T00:00:00.001Z, a value of a type
     *     the wire cannot carry, or a non-finite number (the JSON form cannot carry NaN or infinity)
     */
    byte[] encodeFrame(long tsMs, long seq, Map<String, Object> signals) {
        if (tsMs <= 0) {
            throw new AgentException("unsupported_value", "frame time must be after 1970-01-01, got " + tsMs, false);
        }
        List<RawSignal> raw = new ArrayList<>(signals.size());
        signals.forEach((path, value) -> raw.add(new RawSignal(path, requireFinite(path, value))));
        byte[] batchOfOne;
        try {
            batchOfOne = encoder.toProtobuf(List.of(new RawFrame(tsMs, seq, raw)));
        } catch (IllegalArgumentException e) {
            throw new AgentException("unsupported_value", e.getMessage(), false, e);
        }
        return onlyFrame(batchOfOne);
    }

    /** The payload of one MQTT message carrying {@code frames} in {@code format}. */
    byte[] payload(List<BufferedFrame> frames, PublishFormat format) {
        return switch (format) {
            case PROTOBUF -> protobufBatch(frames);
            case JSON -> jsonBatch(frames);
        };
    }

    /** A {@code TelemetryBatch} of stored frames, without decoding them. */
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
     * The JSON form of stored frames.
     *
     * @throws AgentException {@code corrupt_buffer} if a stored frame cannot be read back
     */
    byte[] jsonBatch(List<BufferedFrame> frames) {
        try {
            return encoder.toJson(decoder.decode(protobufBatch(frames), Optional.of(Topics.CONTENT_TYPE_PROTOBUF)));
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            throw new AgentException(
                    "corrupt_buffer",
                    "buffered frames " + frames.getFirst().seq() + ".."
                            + frames.getLast().seq() + " cannot be read back: " + e.getMessage(),
                    false,
                    e);
        }
    }

    /** The bytes of the single frame in a one-frame {@code TelemetryBatch}: its field 1 without tag and length. */
    private static byte[] onlyFrame(byte[] batchOfOne) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(batchOfOne);
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) != TelemetryBatch.FRAMES_FIELD_NUMBER
                    || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                throw new IllegalStateException("encoder wrote no frame");
            }
            return in.readByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("encoder wrote an unreadable batch", e);
        }
    }

    private static Object requireFinite(String path, Object value) {
        boolean finite = switch (value) {
            case Double d -> Double.isFinite(d);
            case Float f -> Float.isFinite(f);
            case List<?> list -> list.stream().allMatch(item -> !(item instanceof Number n) || isFinite(n));
            default -> true;
        };
        if (!finite) {
            throw new AgentException(
                    "unsupported_value", "signal '" + path + "' has a non-finite value " + value, false);
        }
        return value;
    }

    private static boolean isFinite(Number number) {
        return Double.isFinite(number.doubleValue());
    }
}
