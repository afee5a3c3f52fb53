package io.tsunagu.protocol.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.wire.TelemetryBatch;
import io.tsunagu.protocol.wire.TelemetryFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryDecoderTest {
    private static final Optional<String> JSON = Optional.of("application/json");
    private static final Optional<String> PROTOBUF = Optional.of("application/x-protobuf");
    private static final long TS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private final TelemetryDecoder decoder = new TelemetryDecoder();

    @Test
    void decodesASingleFrameAsTypedOnTheCommandLine() {
        // mosquitto_pub -t vehicles/$VIN/telemetry -m '...'
        List<RawFrame> frames = decodeJson("""
                {"ts": 1767225600000, "seq": 7, "signals": {"Vehicle.Speed": 42.5, "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen": false,
                 "Vehicle.Powertrain.Transmission.CurrentGear": 3, "Vehicle.Body.BodyType": "SUV",
                 "Vehicle.Powertrain.TractionBattery.CellVoltage.CellVoltages": [3.7, 4], "Vehicle.Cabin.Seat.Row1.DriverSide.Massage.SupportedTypes": ["WAVE"]}}
                """);

        assertThat(frames)
                .containsExactly(new RawFrame(
                        TS,
                        7,
                        List.of(
                                new RawSignal("Vehicle.Speed", 42.5),
                                new RawSignal("Vehicle.Cabin.Door.Row1.DriverSide.IsOpen", false),
                                new RawSignal("Vehicle.Powertrain.Transmission.CurrentGear", 3L),
                                new RawSignal("Vehicle.Body.BodyType", "SUV"),
                                new RawSignal(
                                        "Vehicle.Powertrain.TractionBattery.CellVoltage.CellVoltages",
                                        List.of(3.7, 4L)),
                                new RawSignal(
                                        "Vehicle.Cabin.Seat.Row1.DriverSide.Massage.SupportedTypes",
                                        List.of("WAVE")))));
    }

    @Test
    void decodesABatchWithoutSeqAsNoSeq() {
        List<RawFrame> frames = decodeJson("""
                {"batch": [{"ts": 1767225600000, "signals": {"Vehicle.Speed": 10}},
                           {"ts": 1767225601000, "signals": {"Vehicle.Speed": 11.25}}]}
                """);

        assertThat(frames)
                .containsExactly(
                        new RawFrame(TS, Sample.NO_SEQ, List.of(new RawSignal("Vehicle.Speed", 10L))),
                        new RawFrame(TS + 1000, Sample.NO_SEQ, List.of(new RawSignal("Vehicle.Speed", 11.25))));
    }

    @Test
    void acceptsIso8601TimestampsWithOrWithoutOffset() {
        assertThat(decodeJson("{\"ts\": \"2026-01-01T00:00:00Z\", \"signals\": {}}")
                        .get(0)
                        .tsMs())
                .isEqualTo(TS);
        assertThat(decodeJson("{\"ts\": \"2026-01-01T01:00:00.250+01:00\", \"signals\": {}}")
                        .get(0)
                        .tsMs())
                .isEqualTo(TS + 250);
    }

    @Test
    void ignoresUnknownFieldsAtEveryLevelOfAFrame() {
        List<RawFrame> frames = decodeJson("""
                {"v": 2, "meta": {"fw": [1, {"x": null}]}, "ts": 1767225600000, "signals": {"Vehicle.Speed": 1.5}, "extra": null}
                """);
        assertThat(frames)
                .containsExactly(new RawFrame(TS, Sample.NO_SEQ, List.of(new RawSignal("Vehicle.Speed", 1.5))));
        assertThat(decodeJson("{\"batch\": [{\"ts\": 1767225600000, \"src\": \"can0\", \"signals\": {}}], \"v\": 2}"))
                .containsExactly(new RawFrame(TS, Sample.NO_SEQ, List.of()));
    }

    @Test
    void integralNumbersBecomeLongsAndOthersDoubles() {
        List<RawSignal> signals = decodeJson(
                        "{\"ts\": 1, \"signals\": {\"a\": 1, \"b\": 1.0, \"c\": -2e2, \"d\": 99999999999999999999}}")
                .get(0)
                .signals();
        assertThat(signals).extracting(RawSignal::value).containsExactly(1L, 1.0, -200.0, 1e20);
    }

    @Test
    void sniffsJsonAndProtobufWhenTheContentTypeIsAbsent() {
        assertThat(decoder.decode(bytes("\r\n  {\"ts\": 1767225600000, \"signals\": {}}"), Optional.empty()))
                .containsExactly(new RawFrame(TS, Sample.NO_SEQ, List.of()));
        byte[] protobuf = TelemetryBatch.newBuilder()
                .addFrames(TelemetryFrame.newBuilder().setTsMs(TS))
                .build()
                .toByteArray();
        assertThat(decoder.decode(protobuf, Optional.empty()))
                .containsExactly(new RawFrame(TS, Sample.NO_SEQ, List.of()));
    }

    @Test
    void sniffsProtobufWhoseFirstFrameLengthLooksLikeABrace() {
        // A frame of 123 bytes encodes as 0x0A 0x7B: "\n{" to a naive sniffer.
        TelemetryFrame.Builder frame = TelemetryFrame.newBuilder().setTsMs(TS);
        frame.addSignalsBuilder().setPath("Vehicle.Body.BodyType").setStringValue("x".repeat(89));
        byte[] payload = TelemetryBatch.newBuilder().addFrames(frame).build().toByteArray();
        assertThat(payload[0]).isEqualTo((byte) '\n');
        assertThat(payload[1]).isEqualTo((byte) '{');

        assertThat(decoder.decode(payload, Optional.empty()))
                .singleElement()
                .extracting(RawFrame::tsMs)
                .isEqualTo(TS);
    }

    @Test
    void honoursContentTypeParametersAndCase() {
        assertThat(decoder.decode(
                        bytes("{\"ts\": 5, \"signals\": {}}"), Optional.of("Application/JSON; charset=utf-8")))
                .hasSize(1);
        assertMalformed(
                decoder,
                bytes("{\"ts\": 5, \"signals\": {}}"),
                Optional.of("text/plain"),
                "unsupported content type 'text/plain' (use application/json or application/x-protobuf)");
    }

    @Test
    void protobufFrameWithoutSignalsOrSeqIsFine() {
        byte[] payload = TelemetryBatch.newBuilder()
                .addFrames(TelemetryFrame.newBuilder().setTsMs(TS).setSeq(0))
                .addFrames(TelemetryFrame.newBuilder().setTsMs(TS + 1))
                .build()
                .toByteArray();
        assertThat(decoder.decode(payload, PROTOBUF))
                .containsExactly(new RawFrame(TS, 0, List.of()), new RawFrame(TS + 1, Sample.NO_SEQ, List.of()));
    }

    @Test
    void malformedJsonIsExplained() {
        assertMalformedJson(
                "{\"ts\": 1767225600000, \"signals\": }",
                "invalid JSON at line 1 column 34: Unexpected character ('}' (code 125)): expected a value");
        assertMalformedJson("{\"signals\": {}}", "field 'ts' is missing");
        assertMalformedJson("{\"ts\": 1767225600000}", "field 'signals' is missing");
        assertMalformedJson(
                "{\"ts\": \"yesterday\", \"signals\": {}}",
                "field 'ts' is not an ISO-8601 time such as 2025-01-31T12:00:00Z: 'yesterday'");
        assertMalformedJson(
                "{\"ts\": 1.5, \"signals\": {}}",
                "field 'ts' must be integral epoch milliseconds or an ISO-8601 string, got 1.5");
        assertMalformedJson("{\"ts\": -1, \"signals\": {}}", "field 'ts' must be after 1970-01-01T00:00:00Z, got -1");
        assertMalformedJson(
                "{\"ts\": 5, \"signals\": [1]}", "field 'signals' must be an object of path: value, got an array");
        assertMalformedJson(
                "{\"ts\": 5, \"seq\": \"7\", \"signals\": {}}", "field 'seq' must be a non-negative integer, got '7'");
        assertMalformedJson("{\"batch\": []}", "field 'batch' is empty");
        assertMalformedJson("{\"batch\": {}}", "field 'batch' must be an array, got an object");
        assertMalformedJson(
                "{\"batch\": [{\"ts\": 5, \"signals\": {}}, 3]}", "batch[1]: a frame must be an object, got a number");
        assertMalformedJson(
                "{\"batch\": [{\"ts\": 5, \"signals\": {}}, {\"signals\": {}}]}", "batch[1]: field 'ts' is missing");
        assertMalformedJson(
                "{\"batch\": [{\"ts\": 5, \"signals\": {}}], \"ts\": 5}",
                "payload has both 'batch' and frame fields ('ts', 'seq', 'signals')");
        assertMalformedJson(
                "{\"ts\": 5, \"signals\": {\"Vehicle.Speed\": null}}",
                "signal 'Vehicle.Speed' must be a number, string, boolean or array, got null");
        assertMalformedJson(
                "{\"ts\": 5, \"signals\": {\"Vehicle.Speed\": {\"v\": 1}}}",
                "signal 'Vehicle.Speed' must be a number, string, boolean or array, got an object");
        assertMalformedJson(
                "{\"ts\": 5, \"signals\": {\"A\": [1, [2]]}}",
                "signal 'A': array elements must be numbers, strings or booleans, got an array");
        assertMalformedJson("{\"ts\": 5, \"signals\": {\"\": 1}}", "a signal path is empty");
        assertMalformedJson("[1, 2]", "payload must be a JSON object, got an array");
        assertMalformedJson("   ", "payload is empty");
        assertMalformedJson(
                "{\"ts\": 5, \"signals\": {}} {}", "unexpected content after the JSON object at line 1 column 26");
        assertMalformedJson(
                "{\"ts\": 5, \"signals\": {}",
                "invalid JSON at line 1 column 24: Unexpected end-of-input: expected close marker for Object (start marker at [line: 1, column: 1])");
    }

    @Test
    void malformedProtobufIsExplained() {
        assertMalformed(decoder, new byte[0], PROTOBUF, "payload is empty");
        assertMalformed(
                decoder,
                new byte[] {0x0A, 0x05, 0x08},
                PROTOBUF,
                "invalid protobuf TelemetryBatch: While parsing a protocol message, the input ended unexpectedly in the middle of a field.  This could mean either that the input has been truncated or that an embedded message misreported its own length.");
        assertMalformed(
                decoder,
                TelemetryBatch.getDefaultInstance().toByteArray().length == 0 ? new byte[] {0x10, 0x01} : new byte[0],
                PROTOBUF,
                "protobuf TelemetryBatch has no frames");
        assertMalformed(
                decoder,
                TelemetryBatch.newBuilder()
                        .addFrames(TelemetryFrame.newBuilder().setTsMs(TS))
                        .addFrames(TelemetryFrame.newBuilder().setSeq(3))
                        .build()
                        .toByteArray(),
                PROTOBUF,
                "frames[1]: field 'ts_ms' is missing");
        TelemetryFrame.Builder noValue = TelemetryFrame.newBuilder().setTsMs(TS);
        noValue.addSignalsBuilder().setPath("Vehicle.Speed").setDoubleValue(1);
        noValue.addSignalsBuilder().setPath("Vehicle.Speed");
        assertMalformed(
                decoder,
                TelemetryBatch.newBuilder().addFrames(noValue).build().toByteArray(),
                PROTOBUF,
                "frames[0].signals[1]: signal 'Vehicle.Speed' has no value");
        TelemetryFrame.Builder noPath = TelemetryFrame.newBuilder().setTsMs(TS);
        noPath.addSignalsBuilder().setBoolValue(true);
        assertMalformed(
                decoder,
                TelemetryBatch.newBuilder().addFrames(noPath).build().toByteArray(),
                PROTOBUF,
                "frames[0].signals[0]: field 'path' is missing");
    }

    @Test
    void malformedPayloadExceptionCarriesTheRejectCode() {
        assertThatThrownBy(() -> decoder.decode(bytes("{"), JSON))
                .isInstanceOfSatisfying(MalformedPayloadException.class, e -> {
                    assertThat(e.code()).isEqualTo(RejectReason.MALFORMED_PAYLOAD.code());
                    assertThat(e.retriable()).isFalse();
                });
    }

    private List<RawFrame> decodeJson(String payload) {
        return decoder.decode(bytes(payload), JSON);
    }

    private void assertMalformedJson(String payload, String message) {
        assertMalformed(decoder, bytes(payload), JSON, message);
    }

    private static void assertMalformed(
            TelemetryDecoder decoder, byte[] payload, Optional<String> type, String message) {
        assertThatThrownBy(() -> decoder.decode(payload, type))
                .as("decoding %s", new String(payload, StandardCharsets.UTF_8))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage(message);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
