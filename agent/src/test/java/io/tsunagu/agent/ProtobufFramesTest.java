package io.tsunagu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.agent.buffer.BufferedFrame;
import io.tsunagu.protocol.wire.TelemetryBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtobufFramesTest {
    private static Map<String, Object> signals() {
        Map<String, Object> signals = new LinkedHashMap<>();
        signals.put("Vehicle.Speed", 42.5);
        signals.put("Vehicle.TraveledDistance", 1234L);
        signals.put("Vehicle.Powertrain.TractionBattery.Charging.IsCharging", false);
        return signals;
    }

    @Test
    void batchOfEncodedFramesParsesAsTelemetryBatch() throws Exception {
        List<BufferedFrame> frames = List.of(
                new BufferedFrame(7, ProtobufFrames.encodeFrame(1_000, 7, signals())),
                new BufferedFrame(8, ProtobufFrames.encodeFrame(2_000, 8, signals())));
        TelemetryBatch batch = TelemetryBatch.parseFrom(ProtobufFrames.protobufBatch(frames));
        assertThat(batch.getFramesList()).extracting(f -> f.getSeq()).containsExactly(7L, 8L);
        assertThat(batch.getFrames(1).getTsMs()).isEqualTo(2_000);
        assertThat(batch.getFrames(0).getSignals(0).getDoubleValue()).isEqualTo(42.5);
        assertThat(batch.getFrames(0).getSignals(1).getIntValue()).isEqualTo(1234);
        assertThat(batch.getFrames(0).getSignals(2).hasBoolValue()).isTrue();
    }

    @Test
    void jsonBatchCarriesTheSameContent() throws Exception {
        byte[] json =
                ProtobufFrames.jsonBatch(List.of(new BufferedFrame(3, ProtobufFrames.encodeFrame(5, 3, signals()))));
        JsonNode frame = new ObjectMapper().readTree(json).get("frames").get(0);
        assertThat(frame.get("seq").asLong()).isEqualTo(3);
        assertThat(frame.get("tsMs").asLong()).isEqualTo(5);
        assertThat(frame.get("signals").get("Vehicle.Speed").asDouble()).isEqualTo(42.5);
        assertThat(frame.get("signals").get("Vehicle.TraveledDistance").isIntegralNumber())
                .isTrue();
    }

    @Test
    void rejectsUnsupportedValueTypeNamingTheSignal() {
        assertThatThrownBy(() -> ProtobufFrames.encodeFrame(1, 1, Map.of("Vehicle.Speed", new Object())))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("Vehicle.Speed");
    }
}
