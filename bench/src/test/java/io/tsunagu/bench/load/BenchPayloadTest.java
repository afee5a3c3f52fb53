package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.telemetry.TelemetryDecoder;
import io.tsunagu.protocol.telemetry.TelemetryEncoder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchPayloadTest {
    private static final long T0 = 1_767_225_600_000L;

    @Test
    void theCheapEncodingWritesTheSameBytesAsTheProtocolsEncoderForEverySeqPattern() {
        BenchPayload payload = new BenchPayload();
        TelemetryEncoder encoder = new TelemetryEncoder();
        for (long seq = 0; seq < 25; seq++) {
            assertThat(payload.encode(T0 + seq, seq))
                    .as("seq %d", seq)
                    .isEqualTo(encoder.toProtobuf(List.of(BenchPayload.frame(T0 + seq, seq))));
        }
    }

    @Test
    void aMessageDecodesToOneFrameOfTwentySignalsWithItsSeq() {
        byte[] message = new BenchPayload().encode(T0, 12_345);

        var frames = new TelemetryDecoder().decode(message, Optional.of(Topics.CONTENT_TYPE_PROTOBUF));

        assertThat(frames).singleElement().satisfies(frame -> {
            assertThat(frame.tsMs()).isEqualTo(T0);
            assertThat(frame.seq()).isEqualTo(12_345);
            assertThat(frame.signals()).hasSize(BenchPayload.SIGNALS);
            assertThat(frame.signals().get(5).value()).isEqualTo(12_345_678L + 12_345);
        });
    }
}
