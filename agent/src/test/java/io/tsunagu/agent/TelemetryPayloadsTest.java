package io.tsunagu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.agent.buffer.BufferedFrame;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.telemetry.TelemetryDecoder;
import io.tsunagu.protocol.wire.TelemetryFrame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryPayloadsTest {
    private final TelemetryPayloads payloads = new TelemetryPayloads();
    private final TelemetryDecoder decoder = new TelemetryDecoder();

    private static Map<String, Object> signals() {
        Map<String, Object> signals = new LinkedHashMap<>();
        signals.put("Vehicle.Speed", 42.5);
        signals.put("Vehicle.TraveledDistance", 1234L);
        signals.put("Vehicle.Powertrain.TractionBattery.Charging.IsCharging", false);
        signals.put("Vehicle.Cabin.Infotainment.Media.Played.Track", "Blue");
        signals.put("Vehicle.Test.Strings", List.of("a", "b"));
        signals.put("Vehicle.Test.Numbers", List.of(1.5, -2.0));
        return signals;
    }

    private static RawFrame raw(long tsMs, long seq) {
        return new RawFrame(
                tsMs,
                seq,
                signals().entrySet().stream()
                        .map(e -> new RawSignal(e.getKey(), e.getValue()))
                        .toList());
    }

    private List<BufferedFrame> stored(long... seqs) {
        return java.util.Arrays.stream(seqs)
                .mapToObj(seq -> new BufferedFrame(seq, payloads.encodeFrame(1_000 * seq, seq, signals())))
                .toList();
    }

    @Test
    void storedFrameIsOneTelemetryFrameWithTimeSeqAndSignals() throws Exception {
        TelemetryFrame frame = TelemetryFrame.parseFrom(payloads.encodeFrame(5_000, 5, signals()));
        assertThat(frame.getTsMs()).isEqualTo(5_000);
        assertThat(frame.hasSeq()).isTrue();
        assertThat(frame.getSeq()).isEqualTo(5);
        assertThat(frame.getSignalsList())
                .extracting(s -> s.getPath())
                .containsExactlyElementsOf(signals().keySet());
    }

    @Test
    void protobufBatchOfStoredFramesDecodesToTheRecordedFrames() {
        byte[] batch = payloads.payload(stored(7, 8), PublishFormat.PROTOBUF);

        assertThat(decoder.decode(batch, Optional.of(Topics.CONTENT_TYPE_PROTOBUF)))
                .containsExactly(raw(7_000, 7), raw(8_000, 8));
        assertThat(decoder.decode(batch, Optional.empty()))
                .as("also when the content type is missing")
                .containsExactly(raw(7_000, 7), raw(8_000, 8));
    }

    @Test
    void jsonOfSeveralFramesIsTheBatchFormAndDecodesToTheRecordedFrames() throws Exception {
        byte[] json = payloads.payload(stored(1, 2, 3), PublishFormat.JSON);

        assertThat(decoder.decode(json, Optional.of(Topics.CONTENT_TYPE_JSON)))
                .containsExactly(raw(1_000, 1), raw(2_000, 2), raw(3_000, 3));
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.get("batch")).hasSize(3);
        assertThat(tree.get("batch").get(0).get("ts").asLong()).isEqualTo(1_000);
        assertThat(tree.get("batch").get(0).get("seq").asLong()).isEqualTo(1);
    }

    @Test
    void jsonOfOneFrameIsTheSingleFrameObject() throws Exception {
        byte[] json = payloads.payload(stored(3), PublishFormat.JSON);

        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.get("ts").asLong()).isEqualTo(3_000);
        assertThat(tree.get("seq").asLong()).isEqualTo(3);
        assertThat(tree.get("signals").get("Vehicle.Speed").asDouble()).isEqualTo(42.5);
        assertThat(tree.get("signals").get("Vehicle.TraveledDistance").isIntegralNumber())
                .isTrue();
        assertThat(decoder.decode(json, Optional.empty())).containsExactly(raw(3_000, 3));
    }

    @Test
    void rejectsUnsupportedValueTypeNamingTheSignal() {
        assertThatThrownBy(() -> payloads.encodeFrame(1, 1, Map.of("Vehicle.Speed", new Object())))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("Vehicle.Speed");
    }

    @Test
    void rejectsNonFiniteNumbersBecauseJsonCannotCarryThem() {
        assertThatThrownBy(() -> payloads.encodeFrame(1, 1, Map.of("Vehicle.Speed", Double.NaN)))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("Vehicle.Speed");
        assertThatThrownBy(() -> payloads.encodeFrame(
                        1, 1, Map.of("Vehicle.Test.Numbers", List.of(1.0, Double.POSITIVE_INFINITY))))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("Vehicle.Test.Numbers");
    }

    @Test
    void rejectsFrameTimeTheCloudCannotStore() {
        assertThatThrownBy(() -> payloads.encodeFrame(0, 1, signals()))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("after 1970");
    }

    @Test
    void damagedStoredFrameIsReportedAsCorruptBuffer() {
        List<BufferedFrame> damaged = List.of(new BufferedFrame(9, new byte[] {(byte) 0xFF, 0x01}));
        assertThatThrownBy(() -> payloads.payload(damaged, PublishFormat.JSON))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("9..9");
    }
}
