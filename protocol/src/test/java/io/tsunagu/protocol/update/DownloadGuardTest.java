package io.tsunagu.protocol.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadGuardTest {
    private static final long SEED = 20261125L;
    private static final byte[] IMAGE = image(300_000);
    private static final VerifiedTarget TARGET =
            new VerifiedTarget("TCU-0001", "tcu-v2", "tcu.bin", IMAGE.length, Hashes.sha256Hex(IMAGE), 7, false);

    private static byte[] image(int size) {
        byte[] bytes = new byte[size];
        new Random(SEED).nextBytes(bytes);
        return bytes;
    }

    /** A connection that is cut after {@code limit} bytes. */
    private static InputStream cutAfter(byte[] source, int from, int limit) {
        return new ByteArrayInputStream(source, from, Math.min(limit, source.length - from));
    }

    @Test
    void passesTheExactImageAndMarksItComplete() throws IOException {
        DownloadGuard guard = DownloadGuard.start(TARGET);
        byte[] copied;
        try (InputStream in = guard.guard(new ByteArrayInputStream(IMAGE))) {
            copied = in.readAllBytes();
        }
        assertThat(copied).isEqualTo(IMAGE);
        assertThat(guard.complete()).isTrue();
        guard.requireComplete();
    }

    @Test
    void refusesTheFirstByteBeyondTheSignedLength() throws IOException {
        DownloadGuard guard = DownloadGuard.start(TARGET);
        byte[] endless = Arrays.copyOf(IMAGE, IMAGE.length + 10);
        InputStream in = guard.guard(new ByteArrayInputStream(endless));
        in.readNBytes(IMAGE.length);
        assertThat(guard.complete()).isTrue();
        assertThatThrownBy(in::read)
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UpdateRefusalReason.ENDLESS_DATA));
        assertThat(guard.receivedBytes()).isEqualTo(IMAGE.length);
    }

    @Test
    void refusesAnImageWithTheRightLengthAndTheWrongHash() {
        byte[] evil = IMAGE.clone();
        evil[1234] ^= 1;
        DownloadGuard guard = DownloadGuard.start(TARGET);
        assertThatThrownBy(() -> guard.guard(new ByteArrayInputStream(evil)).readAllBytes())
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UpdateRefusalReason.HASH_MISMATCH));
        assertThat(guard.complete()).isFalse();
    }

    @Test
    void resumesACutDownloadWithTheSameGuard() throws IOException {
        DownloadGuard guard = DownloadGuard.start(TARGET);
        byte[] first = guard.guard(cutAfter(IMAGE, 0, 100_000)).readAllBytes();
        assertThat(guard.receivedBytes()).isEqualTo(100_000);
        assertThatThrownBy(guard::requireComplete).isInstanceOfSatisfying(UpdateRefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(UpdateRefusalReason.INCOMPLETE_DOWNLOAD);
            assertThat(e.retriable()).isTrue();
        });

        byte[] rest = guard.guard(cutAfter(IMAGE, (int) guard.receivedBytes(), Integer.MAX_VALUE))
                .readAllBytes();

        assertThat(first.length + rest.length).isEqualTo(IMAGE.length);
        guard.requireComplete();
    }

    @Test
    void resumesAfterARestartByRehashingThePrefixOnDisk(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tcu.bin.part");
        try (OutputStream out = Files.newOutputStream(file)) {
            DownloadGuard.start(TARGET).guard(cutAfter(IMAGE, 0, 123_457)).transferTo(out);
        }

        DownloadGuard resumed;
        try (InputStream prefix = Files.newInputStream(file)) {
            resumed = DownloadGuard.resume(TARGET, prefix);
        }
        assertThat(resumed.receivedBytes()).isEqualTo(123_457);
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            resumed.guard(cutAfter(IMAGE, 123_457, Integer.MAX_VALUE)).transferTo(out);
        }

        resumed.requireComplete();
        assertThat(Files.readAllBytes(file)).isEqualTo(IMAGE);
    }

    @Test
    void refusesAResumedPrefixThatIsAlreadyTooLong() {
        byte[] tooLong = Arrays.copyOf(IMAGE, IMAGE.length + 1);
        assertThatThrownBy(() -> DownloadGuard.resume(TARGET, new ByteArrayInputStream(tooLong)))
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UpdateRefusalReason.ENDLESS_DATA));
    }

    @Test
    void checksAnEmptyImageAtOnce() {
        DownloadGuard empty = DownloadGuard.start("empty.bin", 0, Hashes.sha256Hex(new byte[0]));
        assertThat(empty.complete()).isTrue();
        assertThatThrownBy(() -> DownloadGuard.start("empty.bin", 0, "00".repeat(32)))
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UpdateRefusalReason.HASH_MISMATCH));
    }
}
