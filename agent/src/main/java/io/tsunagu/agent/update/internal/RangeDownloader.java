package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.AgentException;
import io.tsunagu.protocol.update.DownloadGuard;
import io.tsunagu.protocol.update.UpdateRefusedException;
import io.tsunagu.protocol.update.VerifiedTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one verified image over HTTP(S) into a partial file that survives restarts, resuming with a {@code Range}
 * request (RFC 9110 14.2) from the bytes already on disk. Every byte passes a {@link DownloadGuard} before it is
 * written: more bytes than the signed length are refused ({@code endless_data}) before they reach the disk, and the
 * SHA-256 is checked when the last byte is in ({@code hash_mismatch}, and the partial file is deleted).
 *
 * <p>After a restart the guard is rebuilt by re-hashing the partial file ({@link DownloadGuard#resume}). A server that
 * ignores the range (200) or cannot satisfy it (416) is answered by starting again from byte 0. A cut connection is
 * retried at once from where it stopped, up to {@code maxAttempts} requests per call; after that the call fails with
 * a retriable {@code download_failed} and the next call resumes. Not thread-safe per file: one download per target.
 */
public final class RangeDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(RangeDownloader.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int BUFFER_BYTES = 64 * 1024;

    private final HttpClient http;
    private final int maxAttempts;
    private final Duration requestTimeout;

    /**
     * @param maxAttempts HTTP requests per {@link #download} call, at least 1
     * @param requestTimeout until the response headers arrive
     */
    public RangeDownloader(HttpClient http, int maxAttempts, Duration requestTimeout) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.http = http;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Makes {@code partial} hold exactly the verified image, fetching what is missing from {@code uri}.
     *
     * @param progress told the bytes on disk after each chunk
     * @return {@code partial}, complete and verified
     * @throws UpdateRefusedException {@code endless_data} or {@code hash_mismatch} (the partial file is deleted)
     * @throws AgentException {@code download_failed}: retriable for I/O faults and 5xx/429, fatal for other statuses
     */
    public Path download(URI uri, VerifiedTarget target, Path partial, LongConsumer progress) {
        Optional<String> lastFault = Optional.empty();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            // Rebuilt from the file each time: the file, not a guard in memory, is what a cut left behind.
            DownloadGuard guard = resume(target, partial);
            if (guard.complete()) {
                return partial;
            }
            try {
                if (fetch(uri, target, partial, guard, progress)) {
                    return partial;
                }
            } catch (IOException e) {
                lastFault = Optional.of(e.toString());
                LOG.info("{}: download cut ({}), attempt {} of {}", target.targetName(), e, attempt, maxAttempts);
            } catch (UpdateRefusedException e) {
                deleteQuietly(partial);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException("download_failed", "interrupted", true, e);
            }
        }
        throw new AgentException(
                "download_failed",
                target.targetName() + ": incomplete after " + maxAttempts + " request(s): "
                        + lastFault.orElse("the server sent fewer bytes than signed"),
                true);
    }

    /** One request from where the file ends; true if the image is now complete and verified. */
    private boolean fetch(URI uri, VerifiedTarget target, Path partial, DownloadGuard guard, LongConsumer progress)
            throws IOException, InterruptedException {
        long from = guard.receivedBytes();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
        if (from > 0) {
            request.header("Range", "bytes=" + from + "-");
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 206 && rangeStart(response) == from) {
                append(partial, guard.guard(body), from, progress);
                return guard.complete();
            }
            if (status == 200) {
                // A server that ignores Range sends the whole image: take it from byte 0.
                DownloadGuard fresh = from == 0 ? guard : DownloadGuard.start(target);
                append(partial, fresh.guard(body), 0, progress);
                return fresh.complete();
            }
            if (status == 206 || status == 416) {
                // Not the range asked for, or unsatisfiable: the only safe answer is to start over.
                LOG.info("{}: server answered {} to a range from {}; starting over", target.targetName(), status, from);
                Files.deleteIfExists(partial);
                return false;
            }
            boolean retriable = status >= 500 || status == 429 || status == 408;
            throw new AgentException(
                    "download_failed", target.targetName() + ": HTTP " + status + " from " + uri, retriable);
        }
    }

    private static long rangeStart(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Content-Range");
        if (header.isEmpty()) {
            return -1;
        }
        Matcher m = CONTENT_RANGE.matcher(header.get().trim());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Writes the guarded stream at {@code offset} (truncating anything after it), forcing the file at the end. */
    private static void append(Path partial, InputStream guarded, long offset, LongConsumer progress)
            throws IOException {
        Files.createDirectories(partial.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.truncate(offset);
            channel.position(offset);
            OutputStream out = Channels.newOutputStream(channel);
            byte[] buffer = new byte[BUFFER_BYTES];
            long written = offset;
            try {
                for (int n = guarded.read(buffer); n >= 0; n = guarded.read(buffer)) {
                    out.write(buffer, 0, n);
                    written += n;
                    progress.accept(written);
                }
            } finally {
                // What reached the file stays there for the next attempt, also when the connection was cut.
                channel.force(false);
            }
        }
    }

    private static DownloadGuard resume(VerifiedTarget target, Path partial) {
        if (!Files.exists(partial)) {
            return DownloadGuard.start(target);
        }
        try (InputStream prefix = Files.newInputStream(partial)) {
            return DownloadGuard.resume(target, prefix);
        } catch (UpdateRefusedException e) {
            // The bytes on disk are not this image (too long or a wrong hash): download it afresh.
            LOG.warn("{}: partial download unusable ({}); starting over", target.targetName(), e.code());
            deleteQuietly(partial);
            return DownloadGuard.start(target);
        } catch (IOException e) {
            throw new AgentException("download_failed", "cannot read " + partial + ": " + e, true, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
