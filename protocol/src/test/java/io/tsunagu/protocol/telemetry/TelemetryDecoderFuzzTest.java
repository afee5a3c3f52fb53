package io.tsunagu.protocol.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated payloads: the decoder may accept or reject them, but the only exception it may throw is {@link
 * MalformedPayloadException}. Seeded for reproducible builds (another seed: {@code -Dtsunagu.fuzz.seed=N}); the seed
 * and case number appear in any failure.
 */
class TelemetryDecoderFuzzTest {
    private static final int CASES = 20_000;
    private static final List<Optional<String>> CONTENT_TYPES =
            List.of(Optional.empty(), Optional.of("application/json"), Optional.of("application/x-protobuf"));

    private final TelemetryDecoder decoder = new TelemetryDecoder();

    @Test
    void randomAndMutatedPayloadsOnlyEverFailAsMalformed() {
        long seed = Long.getLong("tsunagu.fuzz.seed", 20_260_101L);
        Random random = new Random(seed);
        List<byte[]> seeds = validPayloads();
        int malformed = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] payload = i % 4 == 0 ? randomBytes(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            Optional<String> type = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
            Throwable thrown = catchThrowable(() -> decoder.decode(payload, type));
            if (thrown != null && !(thrown instanceof MalformedPayloadException)) {
                // Only build the (expensive) description for a failing case.
                assertThat(thrown)
                        .as("seed %d, case %d, content type %s, payload %s", seed, i, type, Arrays.toString(payload))
                        .isInstanceOf(MalformedPayloadException.class);
            }
            malformed += thrown == null ? 0 : 1;
        }
        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        assertThat(malformed).as("seed %d", seed).isBetween(CASES / 10, CASES - CASES / 100);
    }

    private static List<byte[]> validPayloads() {
        TelemetryEncoder encoder = new TelemetryEncoder();
        RawFrame frame = new RawFrame(
                1_767_225_600_000L,
                9,
                List.of(
                        new RawSignal("Vehicle.Speed", 42.5),
                        new RawSignal("Vehicle.Powertrain.Transmission.CurrentGear", 3L),
                        new RawSignal("Vehicle.Body.BodyType", "SUV"),
                        new RawSignal("Vehicle.Cabin.Door.Row1.DriverSide.IsOpen", false),
                        new RawSignal("Vehicle.Powertrain.TractionBattery.CellVoltage.CellVoltages", List.of(3.7, 3.8)),
                        new RawSignal("Vehicle.Cabin.Seat.Row1.DriverSide.Massage.SupportedTypes", List.of("WAVE"))));
        List<byte[]> payloads = new ArrayList<>();
        payloads.add(encoder.toJson(List.of(frame)));
        payloads.add(encoder.toJson(List.of(frame, frame)));
        payloads.add(encoder.toProtobuf(List.of(frame)));
        payloads.add(encoder.toProtobuf(List.of(frame, frame)));
        payloads.add(
                TelemetryDecoderTest.bytes("{\"ts\": \"2026-01-01T00:00:00Z\", \"signals\": {\"a\": [1, 2.5e3]}}"));
        return payloads;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] = "{}[]\":,0-.e\\ntf".getBytes(StandardCharsets.US_ASCII)[random.nextInt(15)];
                default -> bytes = Arrays.copyOf(bytes, Math.max(1, at));
            }
        }
        return bytes;
    }
}
