package io.tsunagu.server.update.internal;

import io.tsunagu.server.update.ArtifactException;
import io.tsunagu.server.update.ByteRange;
import io.tsunagu.server.update.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed files: {@code <root>/<first two hex digits>/<sha256>}. An upload streams into a temp file in
 * {@code <root>/incoming/} while the JDK's SHA-256 digests it; only a complete, fsynced file is renamed into place
 * (atomic on POSIX), and the directory is fsynced so the rename survives a crash. A file that already exists under
 * the digest is kept and the new copy dropped (the same content is stored once). Temp files left by a crash are
 * deleted at start. Thread-safe: concurrent writers use distinct temp files, and renaming identical content over
 * itself is harmless.
 */
public final class ArtifactFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactFiles.class);
    /** Large enough that per-call overhead vanishes next to hashing and disk writes. */
    private static final int BUFFER_BYTES = 256 * 1024;

    private final Path root;
    private final Path incoming;

    /** A fully received, fsynced upload still in its temp file. */
    public record Received(Path temp, Sha256 sha256, long lengthBytes) {}

    public ArtifactFiles(Path root) {
        this.root = root;
        this.incoming = root.resolve("incoming");
        try {
            Files.createDirectories(incoming);
            deleteLeftovers();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the artifact directory " + root, e);
        }
    }

    /** Where the content with this digest lives (whether or not it exists). */
    public Path path(Sha256 sha256) {
        return root.resolve(sha256.value().substring(0, 2)).resolve(sha256.value());
    }

    /** Bytes the artifact file system can still take. */
    public long usableBytes() {
        try {
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // unknown: let the write itself fail if the disk is full
        }
    }

    /**
     * Streams {@code content} to a temp file, digesting it; fails with {@code artifact_too_large} as soon as more than
     * {@code maxBytes} arrive, and with {@code empty_body} if none do. On any failure the temp file is deleted.
     */
    public Received receive(InputStream content, long maxBytes) {
        Path temp = createTemp();
        try {
            Received received = copy(content, temp, maxBytes);
            if (received.lengthBytes() == 0) {
                throw ArtifactException.invalid("empty_body", "the request body (the image) is empty");
            }
            return received;
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private Received copy(InputStream content, Path temp, long maxBytes) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            for (int n = read(content, buffer); n >= 0; n = read(content, buffer)) {
                total += n;
                if (total > maxBytes) {
                    throw new ArtifactException(
                            ArtifactException.Kind.TOO_LARGE,
                            "artifact_too_large",
                            "the image is larger than the limit of " + maxBytes + " bytes");
                }
                digest.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
        } catch (IOException e) {
            throw writeFailed(e);
        }
        return new Received(temp, Sha256.of(digest.digest()), total);
    }

    /** Moves a received file into place; false (and the copy dropped) if the content was stored already. */
    public boolean commit(Received received) {
        Path target = path(received.sha256());
        try {
            if (Files.isRegularFile(target) && Files.size(target) == received.lengthBytes()) {
                deleteQuietly(received.temp());
                return false;
            }
            Files.createDirectories(target.getParent());
            move(received.temp(), target);
            fsyncDirectory(target.getParent());
            return true;
        } catch (IOException e) {
            deleteQuietly(received.temp());
            throw writeFailed(e);
        }
    }

    /** Drops a received file that will not be stored (checksum mismatch, conflicting metadata). */
    public void discard(Received received) {
        deleteQuietly(received.temp());
    }

    /** True if the content with this digest is on disk. */
    public boolean exists(Sha256 sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /** Opens a range of a stored file for reading; {@code artifact_content_missing} if the file is gone. */
    public InputStream open(Sha256 sha256, ByteRange range) {
        try {
            FileChannel channel = FileChannel.open(path(sha256), StandardOpenOption.READ);
            return new RangeInputStream(channel, range);
        } catch (NoSuchFileException e) {
            throw new ArtifactException(
                    ArtifactException.Kind.STORAGE,
                    "artifact_content_missing",
                    "the content of artifact " + sha256 + " is missing from " + root,
                    e);
        } catch (IOException e) {
            throw ArtifactException.storage("cannot open artifact " + sha256 + ": " + e.getMessage(), e);
        }
    }

    /**
     * One read from the client: -1 at the end of the body. Any failure of the body stream is a broken connection
     * (HTTP servers report it as IOException or as their own unchecked exceptions), i.e. the client's fault.
     */
    private static int read(InputStream content, byte[] buffer) {
        try {
            return content.read(buffer);
        } catch (IOException | RuntimeException e) {
            throw new ArtifactException(
                    ArtifactException.Kind.INTERRUPTED,
                    "upload_interrupted",
                    "the connection broke before the body was complete: " + e.getMessage(),
                    e);
        }
    }

    private Path createTemp() {
        try {
            return Files.createTempFile(incoming, "upload-", ".part");
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private static ArtifactException writeFailed(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left")) {
            return new ArtifactException(
                    ArtifactException.Kind.NO_SPACE, "insufficient_storage", "the artifact disk is full", e);
        }
        return ArtifactException.storage("writing the artifact failed: " + message, e);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a rename durable: on Linux a directory opened read-only can be fsynced; elsewhere this may not work. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {} ({}); the rename is durable at the next sync", dir, e.getMessage());
        }
    }

    private void deleteLeftovers() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
            for (Path file : files) {
                LOG.info("deleting the incomplete upload {} left by an earlier run", file.getFileName());
                Files.deleteIfExists(file);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the temp file {} ({}); it is deleted at the next start", file, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
