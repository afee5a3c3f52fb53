package io.tsunagu.protocol.telemetry;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.wire.TelemetryBatch;
import io.tsunagu.protocol.wire.TelemetryFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes the payload of {@code vehicles/{vin}/telemetry} into frames, in either wire form: protobuf {@code
 * TelemetryBatch} (see {@code telemetry.proto}) or JSON, the form a person types into {@code mosquitto_pub}:
 *
 * <pre>
 * {"ts": 1767225600000, "seq": 7, "signals": {"Vehicle.Speed": 42.5, "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen": false}}
 * {"ts": "2026-01-01T00:00:00Z", "signals": {...}}
 * {"batch": [{"ts": ..., "signals": {...}}, ...]}
 * </pre>
 *
 * <p>JSON integers decode to {@code Long}, other numbers to {@code Double}; unknown fields are ignored. Values are not
 * checked against the catalog here ({@link io.tsunagu.protocol.vss.SignalCatalog#validate} does that). Anything that is
 * not a well-formed payload throws {@link MalformedPayloadException} and nothing else. Thread-safe.
 */
public final class TelemetryDecoder {
    private final JsonTelemetryReader json = new JsonTelemetryReader();

    private enum Format {
        JSON,
        PROTOBUF,
        SNIFF
    }

    /**
     * Decodes one MQTT message.
     *
     * @param payload the message bytes
     * @param contentType the MQTT 5 content type: {@code application/json} or {@code application/x-protobuf}; when
     *     absent the format is sniffed (a payload whose first non-whitespace byte is <code>{</code> is JSON)
     * @return one or more frames, in payload order
     * @throws MalformedPayloadException naming exactly what was wrong
     */
    public List<RawFrame> decode(byte[] payload, Optional<String> contentType) {
        if (payload.length == 0) {
            throw new MalformedPayloadException("payload is empty");
        }
        return switch (format(contentType)) {
            case JSON -> json.read(payload);
            case PROTOBUF -> protobuf(payload);
            case SNIFF -> sniffed(payload);
        };
    }

    private static Format format(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return Format.SNIFF;
        }
        String raw = contentType.get();
        int semicolon = raw.indexOf(';');
        String type =
                (semicolon < 0 ? raw : raw.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case Topics.CONTENT_TYPE_JSON, "text/json" -> Format.JSON;
            case Topics.CONTENT_TYPE_PROTOBUF, "application/protobuf", "application/vnd.google.protobuf" ->
                Format.PROTOBUF;
            case "", "application/octet-stream" -> Format.SNIFF;
            default -> {
                if (type.endsWith("+json")) {
                    yield Format.JSON;
                }
                throw new MalformedPayloadException("unsupported content type '" + abbreviate(raw) + "' (use "
                        + Topics.CONTENT_TYPE_JSON + " or " + Topics.CONTENT_TYPE_PROTOBUF + ")");
            }
        };
    }

    private List<RawFrame> sniffed(byte[] payload) {
        int first = firstNonWhitespace(payload);
        if (first == payload.length) {
            throw new MalformedPayloadException("payload is empty (only whitespace)");
        }
        if (payload[first] != '{') {
            return protobuf(payload);
        }
        if (payload[0] != '\n') {
            return json.read(payload);
        }
        // 0x0A is also the tag of TelemetryBatch.frames, and a 123-byte first frame has length byte '{': try both.
        try {
            return json.read(payload);
        } catch (MalformedPayloadException jsonProblem) {
            try {
                return protobuf(payload);
            } catch (MalformedPayloadException protobufProblem) {
                throw jsonProblem;
            }
        }
    }

    private static int firstNonWhitespace(byte[] payload) {
        int i = 0;
        if (payload.length >= 3
                && payload[0] == (byte) 0xEF
                && payload[1] == (byte) 0xBB
                && payload[2] == (byte) 0xBF) {
            i = 3; // UTF-8 byte order mark, as some editors write it
        }
        while (i < payload.length && isJsonWhitespace(payload[i])) {
            i++;
        }
        return i;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static List<RawFrame> protobuf(byte[] payload) {
        TelemetryBatch batch;
        try {
            batch = TelemetryBatch.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedPayloadException("invalid protobuf TelemetryBatch: " + e.getMessage(), e);
        }
        if (batch.getFramesCount() == 0) {
            throw new MalformedPayloadException("protobuf TelemetryBatch has no frames");
        }
        List<RawFrame> frames = new ArrayList<>(batch.getFramesCount());
        for (int i = 0; i < batch.getFramesCount(); i++) {
            frames.add(frame(batch.getFrames(i), i));
        }
        return frames;
    }

    // Where a problem is ("frames[0].signals[3]") is spelled out only on the error path: building it for every signal
    // was 20 string concatenations per message on the ingest path.
    private static RawFrame frame(TelemetryFrame frame, int index) {
        if (frame.getTsMs() == 0) {
            throw new MalformedPayloadException(frameAt(index) + ": field 'ts_ms' is missing");
        }
        if (frame.getTsMs() < 0) {
            throw new MalformedPayloadException(
                    frameAt(index) + ": field 'ts_ms' must be after 1970-01-01T00:00:00Z, got " + frame.getTsMs());
        }
        if (frame.hasSeq() && frame.getSeq() < 0) {
            throw new MalformedPayloadException(
                    frameAt(index) + ": field 'seq' must be non-negative, got " + frame.getSeq());
        }
        List<RawSignal> signals = new ArrayList<>(frame.getSignalsCount());
        for (int i = 0; i < frame.getSignalsCount(); i++) {
            signals.add(signal(frame.getSignals(i), index, i));
        }
        return new RawFrame(frame.getTsMs(), frame.hasSeq() ? frame.getSeq() : Sample.NO_SEQ, signals);
    }

    private static RawSignal signal(io.tsunagu.protocol.wire.SignalValue signal, int frame, int index) {
        String path = signal.getPath();
        if (path.isEmpty()) {
            throw new MalformedPayloadException(signalAt(frame, index) + ": field 'path' is missing");
        }
        Object value = switch (signal.getValueCase()) {
            case DOUBLE_VALUE -> signal.getDoubleValue();
            case INT_VALUE -> signal.getIntValue();
            case BOOL_VALUE -> signal.getBoolValue();
            case STRING_VALUE -> signal.getStringValue();
            case STRING_LIST -> List.copyOf(signal.getStringList().getValuesList());
            case DOUBLE_LIST -> List.copyOf(signal.getDoubleList().getValuesList());
            case VALUE_NOT_SET ->
                throw new MalformedPayloadException(
                        signalAt(frame, index) + ": signal '" + abbreviate(path) + "' has no value");
        };
        return new RawSignal(path, value);
    }

    private static String frameAt(int index) {
        return "frames[" + index + "]";
    }

    private static String signalAt(int frame, int index) {
        return frameAt(frame) + ".signals[" + index + "]";
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
