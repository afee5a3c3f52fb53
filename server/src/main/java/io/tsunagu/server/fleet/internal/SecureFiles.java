package io.tsunagu.server.fleet.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files atomically (temp file, fsync, rename) so a crash never leaves half a key on disk. Secret files are
 * created with owner-only permissions (0600) from the start, not chmod-ed afterwards, so no other user can open them
 * in between.
 */
public final class SecureFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SecureFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private SecureFiles() {}

    /** Writes a secret (private key, keystore, token) readable and writable by the owner only. */
    public static void writeSecret(Path file, byte[] content) throws IOException {
        write(file, content, true);
    }

    /** Writes a public file (certificate, truststore) with the default permissions. */
    public static void writePublic(Path file, byte[] content) throws IOException {
        write(file, content, false);
    }

    /** True if the file's POSIX permissions let only its owner in (always true where POSIX is unsupported). */
    public static boolean ownerOnly(Path file) throws IOException {
        if (!posix(file)) {
            return true;
        }
        return OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file));
    }

    private static void write(Path file, byte[] content, boolean secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = secret && posix(dir)
                ? Files.createTempFile(dir, ".tmp-", ".part", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".tmp-", ".part");
        if (secret && !posix(dir)) {
            LOG.warn("File system of {} has no POSIX permissions; restrict access to it by other means", dir);
        }
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
            move(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
