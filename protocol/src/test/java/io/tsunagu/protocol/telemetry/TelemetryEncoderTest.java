package io.tsunagu.protocol.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.wire.TelemetryBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryEncoderTest {
    private static final long TS = 1_767_225_600_000L;
    private static final Optional<String> JSON = Optional.of("application/json");
    private static final Optional<String> PROTOBUF = Optional.of("application/x-protobuf");

    private final TelemetryEncoder encoder = new TelemetryEncoder();
    private final TelemetryDecoder decoder = new TelemetryDecoder();

    private static final RawFrame FIRST = new RawFrame(
            TS,
            41,
            List.of(
                    new RawSignal("Vehicle.Speed", 42.5),
                    new RawSignal("Vehicle.Powertrain.Transmission.CurrentGear", -1L),
                    new RawSignal("Vehicle.Cabin.Door.Row1.DriverSide.IsOpen", true),
                    new RawSignal("Vehicle.Body.BodyType", "SUV \"estate\" ✓"),
                    new RawSignal(
                            "Vehicle.Cabin.Seat.Row1.DriverSide.Massage.SupportedTypes", List.of("WAVE", "PULSE")),
                    new RawSignal("Vehicle.Powertrain.TractionBattery.CellVoltage.CellVoltages", List.of(3.7, 3.75))));
    private static final RawFrame SECOND =
            new RawFrame(TS + 1000, Sample.NO_SEQ, List.of(new RawSignal("Vehicle.Speed", 0.0)));

    @Test
    void protobufRoundTripKeepsEveryFrameAndValue() {
        assertThat(decoder.decode(encoder.toProtobuf(List.of(FIRST, SECOND)), PROTOBUF))
                .containsExactly(FIRST, SECOND);
        assertThat(decoder.decode(encoder.toProtobuf(List.of(FIRST)), Optional.empty()))
                .containsExactly(FIRST);
    }

    @Test
    void jsonRoundTripKeepsEveryFrameAndValue() {
        assertThat(decoder.decode(encoder.toJson(List.of(FIRST, SECOND)), JSON)).containsExactly(FIRST, SECOND);
        assertThat(decoder.decode(encoder.toJson(List.of(SECOND)), Optional.empty()))
                .containsExactly(SECOND);
    }

    @Test
    void jsonUsesTheSingleFormForOneFrameAndTheBatchFormForMore() {
        assertThat(new String(encoder.toJson(List.of(SECOND)), StandardCharsets.UTF_8))
                .isEqualTo("{\"ts\":1767225601000,\"signals\":{\"Vehicle.Speed\":0.0}}");
        assertThat(new String(encoder.toJson(List.of(SECOND, SECOND)), StandardCharsets.UTF_8))
                .startsWith("{\"batch\":[{\"ts\":1767225601000,");
    }

    @Test
    void mapsJavaTypesToTheProtobufOneof() throws Exception {
        RawFrame frame = new RawFrame(
                TS,
                Sample.NO_SEQ,
                List.of(
                        new RawSignal("a", 7),
                        new RawSignal("b", 2.5f),
                        new RawSignal("c", List.of(1L, 2.5)),
                        new RawSignal("d", List.of())));
        var signals = TelemetryBatch.parseFrom(encoder.toProtobuf(List.of(frame)))
                .getFrames(0)
                .getSignalsList();
        assertThat(signals.get(0).getIntValue()).isEqualTo(7);
        assertThat(signals.get(1).getDoubleValue()).isEqualTo(2.5);
        assertThat(signals.get(2).getDoubleList().getValuesList()).containsExactly(1.0, 2.5);
        assertThat(signals.get(3).hasStringList()).isTrue();
        assertThat(TelemetryBatch.parseFrom(encoder.toProtobuf(List.of(frame)))
                        .getFrames(0)
                        .hasSeq())
                .isFalse();
    }

    @Test
    void refusesValuesTheWireCannotCarry() {
        RawFrame object = new RawFrame(TS, 1, List.of(new RawSignal("Vehicle.Speed", new Object())));
        assertThatThrownBy(() -> encoder.toProtobuf(List.of(object)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("signal 'Vehicle.Speed': cannot encode a value of type java.lang.Object");
        RawFrame mixed = new RawFrame(TS, 1, List.of(new RawSignal("x", List.of("a", 1L))));
        assertThatThrownBy(() -> encoder.toProtobuf(List.of(mixed))).isInstanceOf(IllegalArgumentException.class);
        RawFrame nan = new RawFrame(TS, 1, List.of(new RawSignal("Vehicle.Speed", Double.NaN)));
        assertThatThrownBy(() -> encoder.toJson(List.of(nan)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signal 'Vehicle.Speed': JSON cannot carry NaN");
        assertThatThrownBy(() -> encoder.toJson(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
