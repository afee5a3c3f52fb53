package io.tsunagu.protocol.update;

import io.tsunagu.protocol.TsunaguException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Guards the download of one verified image: refuses with {@link UpdateRefusalReason#ENDLESS_DATA} the moment more
 * bytes arrive than the signed length (before handing them on), and checks the SHA-256 as soon as the last byte is in
 * ({@link UpdateRefusalReason#HASH_MISMATCH}).
 *
 * <p>Resuming: a cut connection leaves the guard at {@link #receivedBytes()}; wrap the next connection's stream
 * (started at that offset, e.g. an HTTP {@code Range} request) with {@link #guard(InputStream)} again. After a
 * restart, {@link #resume} rebuilds the guard by re-hashing the prefix already on disk: the JDK cannot persist a
 * digest's state, and re-reading a local file is cheap next to downloading it again.
 *
 * <p>Not thread-safe: one download, one thread.
 */
public final class DownloadGuard {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final String targetName;
    private final long lengthBytes;
    private final String sha256;
    private final MessageDigest digest = Hashes.newSha256();
    private long receivedBytes;
    private boolean verified;

    private DownloadGuard(String targetName, long lengthBytes, String sha256) {
        this.targetName = targetName;
        this.lengthBytes = lengthBytes;
        this.sha256 = sha256;
    }

    /** A guard for a download from byte 0. */
    public static DownloadGuard start(VerifiedTarget target) {
        return start(target.targetName(), target.lengthBytes(), target.sha256());
    }

    /** A guard for a download from byte 0. */
    public static DownloadGuard start(String targetName, long lengthBytes, String sha256) {
        DownloadGuard guard = new DownloadGuard(targetName, lengthBytes, sha256);
        guard.checkCompleteAtZero();
        return guard;
    }

    /**
     * A guard that continues after {@code prefix}, the bytes already downloaded (read to its end, not closed). Fails
     * like {@link #accept} if the prefix itself is too long or, when complete, has the wrong hash.
     */
    public static DownloadGuard resume(VerifiedTarget target, InputStream prefix) {
        DownloadGuard guard = start(target);
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            for (int n = prefix.read(buffer); n >= 0; n = prefix.read(buffer)) {
                guard.accept(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new TsunaguException(
                    "download_io", "cannot read the downloaded prefix of " + target.targetName() + ": " + e, true, e);
        }
        return guard;
    }

    /**
     * Takes the next {@code length} bytes of the image. Throws before counting them when they would exceed the
     * signed length; checks the hash when the signed length is reached.
     */
    public void accept(byte[] bytes, int offset, int length) {
        if (length > lengthBytes - receivedBytes) {
            throw new UpdateRefusedException(
                    UpdateRefusalReason.ENDLESS_DATA,
                    targetName + ": more than the signed " + lengthBytes + " bytes arrived (had " + receivedBytes
                            + ", got " + length + " more)");
        }
        digest.update(bytes, offset, length);
        receivedBytes += length;
        if (receivedBytes == lengthBytes && length > 0) {
            checkHash();
        }
    }

    /** Wraps one connection's stream; reading it feeds this guard. May be called again to resume. */
    public InputStream guard(InputStream in) {
        return new GuardedStream(in);
    }

    public long receivedBytes() {
        return receivedBytes;
    }

    /** True when all signed bytes arrived and their hash matched. */
    public boolean complete() {
        return verified;
    }

    /**
     * Throws {@link UpdateRefusalReason#INCOMPLETE_DOWNLOAD} (retriable: resume from {@link #receivedBytes()})
     * unless every byte arrived and matched.
     */
    public void requireComplete() {
        if (!verified) {
            throw new UpdateRefusedException(
                    UpdateRefusalReason.INCOMPLETE_DOWNLOAD,
                    targetName + ": " + receivedBytes + " of " + lengthBytes + " bytes downloaded");
        }
    }

    private void checkCompleteAtZero() {
        if (lengthBytes == 0) {
            checkHash();
        }
    }

    private void checkHash() {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            throw new UpdateRefusedException(
                    UpdateRefusalReason.HASH_MISMATCH,
                    targetName + ": downloaded bytes have sha256 " + actual + ", signed metadata says " + sha256);
        }
        verified = true;
    }

    private final class GuardedStream extends FilterInputStream {
        GuardedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                accept(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) {
            // Skipped bytes would escape the hash.
            return 0;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
