package io.tsunagu.agent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBufferTest {
    @TempDir
    Path dir;

    private static byte[] frame(long seq) {
        return ("frame-" + seq).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<BufferedFrame> frames) {
        return frames.stream()
                .map(f -> new String(f.payload(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void keepsFramesInOrderAndContinuesSeqAfterReopen() {
        Path file = dir.resolve("car.mv.db");
        try (DiskBuffer buffer = DiskBuffer.open(file, 1_000, true)) {
            for (int i = 0; i < 5; i++) {
                buffer.append(DiskBufferTest::frame);
            }
            buffer.remove(List.of(1L, 2L));
        }
        try (DiskBuffer reopened = DiskBuffer.open(file, 1_000, true)) {
            assertThat(reopened.size()).isEqualTo(3);
            assertThat(reopened.nextSeq()).isEqualTo(6);
            long seq = reopened.append(DiskBufferTest::frame);
            assertThat(seq).isEqualTo(6);
            List<BufferedFrame> frames = reopened.readAfter(0, 100);
            assertThat(frames).extracting(BufferedFrame::seq).containsExactly(3L, 4L, 5L, 6L);
            assertThat(texts(frames)).containsExactly("frame-3", "frame-4", "frame-5", "frame-6");
            assertThat(reopened.fill()).isEqualTo(new DiskBuffer.Fill(4, 7));
        }
    }

    @Test
    void seqKeepsGrowingEvenWhenTheBufferWasEmptiedBeforeReopen() {
        Path file = dir.resolve("car.mv.db");
        try (DiskBuffer buffer = DiskBuffer.open(file, 10, false)) {
            buffer.append(DiskBufferTest::frame);
            buffer.append(DiskBufferTest::frame);
            buffer.remove(List.of(1L, 2L));
        }
        try (DiskBuffer reopened = DiskBuffer.open(file, 10, false)) {
            assertThat(reopened.size()).isZero();
            assertThat(reopened.firstSeq()).isEmpty();
            assertThat(reopened.append(DiskBufferTest::frame)).isEqualTo(3);
        }
    }

    @Test
    void readsAfterACursorInBatches() {
        try (DiskBuffer buffer = DiskBuffer.open(dir.resolve("car.mv.db"), 1_000, false)) {
            for (int i = 0; i < 120; i++) {
                buffer.append(DiskBufferTest::frame);
            }
            assertThat(buffer.readAfter(0, 50))
                    .extracting(BufferedFrame::seq)
                    .startsWith(1L)
                    .endsWith(50L);
            assertThat(buffer.readAfter(100, 50))
                    .extracting(BufferedFrame::seq)
                    .startsWith(101L)
                    .endsWith(120L);
            assertThat(buffer.readAfter(120, 50)).isEmpty();
        }
    }

    @Test
    void dropsOldestFramesWhenFullAndCountsThem() {
        Path file = dir.resolve("car.mv.db");
        try (DiskBuffer buffer = DiskBuffer.open(file, 3, true)) {
            for (int i = 0; i < 5; i++) {
                buffer.append(DiskBufferTest::frame);
            }
            assertThat(buffer.size()).isEqualTo(3);
            assertThat(buffer.droppedFrames()).isEqualTo(2);
            assertThat(buffer.firstSeq()).hasValue(3);
        }
        try (DiskBuffer reopened = DiskBuffer.open(file, 3, true)) {
            assertThat(texts(reopened.readAfter(0, 10))).containsExactly("frame-3", "frame-4", "frame-5");
        }
    }

    @Test
    void removingUnknownSeqsIsHarmless() {
        try (DiskBuffer buffer = DiskBuffer.open(dir.resolve("car.mv.db"), 10, false)) {
            buffer.append(DiskBufferTest::frame);
            buffer.remove(List.of(42L, 1L, 1L));
            assertThat(buffer.size()).isZero();
        }
    }
}
