package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.EcuSerial;
import io.tsunagu.agent.update.InstallProgress;
import io.tsunagu.agent.update.Slot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The slots as files: {@code <dir>/<ecu>/slot-a.img} and {@code slot-b.img}, standing in for the two partitions. A
 * slot is written in place (as a partition would be), streamed in {@value #CHUNK_BYTES}-byte chunks, hashed on the
 * way and forced to the device at the end; the boot-control record, not the file, says whether its content counts.
 * Stateless apart from the folder; safe for concurrent use on different slots.
 */
public final class SlotFiles {
    static final int CHUNK_BYTES = 64 * 1024;

    private final Path dir;

    public SlotFiles(Path dir) {
        this.dir = dir;
    }

    /** The image file of {@code slot} of {@code ecu}. */
    public Path path(EcuSerial ecu, Slot slot) {
        return dir.resolve(ecu.value()).resolve("slot-" + slot.name().toLowerCase(Locale.ROOT) + ".img");
    }

    /**
     * Streams exactly {@code lengthBytes} from {@code in} into the slot file and forces it to the device.
     *
     * @param atHalf run once when half the image is written (failure injection)
     * @return lower-case hex SHA-256 of the bytes written
     * @throws AgentException {@code image_too_long} or {@code image_too_short} if the stream has more or fewer bytes
     *     than announced (Uptane "endless data": never write past the length), {@code slot_write_failed} on I/O faults
     */
    public String write(Path slot, InputStream in, long lengthBytes, InstallProgress progress, Runnable atHalf) {
        MessageDigest digest = sha256();
        try {
            Files.createDirectories(slot.getParent());
            try (FileChannel out = FileChannel.open(
                    slot, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                copy(in, out, lengthBytes, digest, progress, atHalf);
                if (in.read() != -1) {
                    throw new AgentException("image_too_long", "image has more than " + lengthBytes + " bytes", false);
                }
                out.force(true);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new AgentException("slot_write_failed", "cannot write " + slot + ": " + e.getMessage(), true, e);
        }
    }

    private static void copy(
            InputStream in,
            FileChannel out,
            long lengthBytes,
            MessageDigest digest,
            InstallProgress progress,
            Runnable atHalf)
            throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        long written = 0;
        boolean halfReported = false;
        while (written < lengthBytes) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, lengthBytes - written));
            if (n < 0) {
                throw new AgentException(
                        "image_too_short", "image ended after " + written + " of " + lengthBytes + " bytes", false);
            }
            digest.update(chunk, 0, n);
            ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            written += n;
            progress.written(written, lengthBytes);
            if (!halfReported && written * 2 >= lengthBytes) {
                halfReported = true;
                atHalf.run();
            }
        }
    }

    /** Writes a small image in one go (the factory image of a new ECU); returns its SHA-256. */
    public String writeAll(Path slot, byte[] image) {
        return write(slot, new ByteArrayInputStream(image), image.length, InstallProgress.NONE, () -> {});
    }

    /** Reads the slot file back and returns its SHA-256 (lower-case hex). */
    public String readBackSha256(Path slot) {
        MessageDigest digest = sha256();
        byte[] chunk = new byte[CHUNK_BYTES];
        try (InputStream in = Files.newInputStream(slot)) {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                digest.update(chunk, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new AgentException("slot_read_failed", "cannot read back " + slot + ": " + e.getMessage(), true, e);
        }
    }

    /** Removes a slot's content (an interrupted or rejected image); a missing file is fine. */
    public void discard(Path slot) {
        try {
            Files.deleteIfExists(slot);
        } catch (IOException e) {
            throw new AgentException("slot_discard_failed", "cannot discard " + slot + ": " + e.getMessage(), true, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
