package io.tsunagu.server.update;

import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.update.internal.ArtifactFiles;
import io.tsunagu.server.update.internal.ArtifactRows;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Software images, content-addressed by SHA-256: streamed in ({@link #store}), looked up ({@link #find}, {@link
 * #list}) and read by byte range ({@link #open}). Files live under the directory given to {@link #open(Path,
 * DataSource, long, Metrics, Clock)}, rows in the metadata database. An upload becomes visible only once complete:
 * the file is fsynced and renamed into place before its row is committed, so a cut or failed upload leaves neither
 * file nor row, and every row's content is on disk. Thread-safe; reads never block writes.
 */
public final class ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);

    private final ArtifactFiles files;
    private final ArtifactRows rows;
    private final long maxLengthBytes;
    private final Metrics metrics;
    private final Clock clock;
    private final LongAdder created;
    private final LongAdder repeated;

    /** The outcome of an upload: the artifact, and whether this upload created it (false: stored already). */
    public record Stored(Artifact artifact, boolean created) {}

    private ArtifactStore(ArtifactFiles files, ArtifactRows rows, long maxLengthBytes, Metrics metrics, Clock clock) {
        this.files = files;
        this.rows = rows;
        this.maxLengthBytes = maxLengthBytes;
        this.metrics = metrics;
        this.clock = clock;
        String help = "Artifact uploads accepted, by outcome (created, or the same content again)";
        this.created = metrics.counter("tsunagu_artifact_uploads_total", help, "outcome", "created");
        this.repeated = metrics.counter("tsunagu_artifact_uploads_total", help, "outcome", "existing");
        metrics.gauge("tsunagu_artifacts", "Artifacts stored", rows::count);
    }

    /**
     * Opens the store; deletes temp files an earlier run left behind.
     *
     * @param directory where content files live ({@code <data>/artifacts})
     * @param dataSource the migrated metadata database
     * @param maxLengthBytes largest image accepted, in bytes
     */
    public static ArtifactStore open(
            Path directory, DataSource dataSource, long maxLengthBytes, Metrics metrics, Clock clock) {
        if (maxLengthBytes <= 0) {
            throw new IllegalArgumentException("artifact.max-bytes must be > 0, got " + maxLengthBytes);
        }
        return new ArtifactStore(
                new ArtifactFiles(directory), new ArtifactRows(dataSource), maxLengthBytes, metrics, clock);
    }

    /** The largest image accepted, in bytes. */
    public long maxLengthBytes() {
        return maxLengthBytes;
    }

    /**
     * Streams an image in and stores it under its SHA-256; never holds it in memory. The same content with the same
     * metadata again returns the stored artifact ({@code created == false}); with other metadata it is refused
     * ({@code artifact_exists}, CONFLICT). On any failure nothing is stored.
     *
     * @param declaredLengthBytes the length the client announced (HTTP {@code Content-Length}), if any: checked against
     *     the limit and the free disk space before a byte is read, and against the bytes that arrive
     * @throws ArtifactException INVALID ({@code empty_body}, {@code checksum_mismatch}, {@code upload_interrupted}
     *     when the body ended before its declared length), INTERRUPTED ({@code upload_interrupted}: the body stream
     *     failed), TOO_LARGE, CONFLICT, NO_SPACE or STORAGE
     */
    public Stored store(ArtifactUpload upload, InputStream content, OptionalLong declaredLengthBytes) {
        try {
            declaredLengthBytes.ifPresent(this::checkDeclaredLength);
            ArtifactFiles.Received received = files.receive(content, maxLengthBytes);
            checkReceived(upload, received, declaredLengthBytes);
            Stored stored = commit(upload, received);
            (stored.created() ? created : repeated).increment();
            return stored;
        } catch (ArtifactException e) {
            metrics.counter(
                            "tsunagu_artifact_uploads_rejected_total",
                            "Artifact uploads refused, by error code",
                            "reason",
                            e.code())
                    .increment();
            throw e;
        }
    }

    private void checkDeclaredLength(long declared) {
        if (declared > maxLengthBytes) {
            throw new ArtifactException(
                    ArtifactException.Kind.TOO_LARGE,
                    "artifact_too_large",
                    "the image has " + declared + " bytes, more than the limit of " + maxLengthBytes);
        }
        if (declared == 0) {
            throw ArtifactException.invalid("empty_body", "the request body (the image) is empty");
        }
        if (declared > files.usableBytes()) {
            throw new ArtifactException(
                    ArtifactException.Kind.NO_SPACE,
                    "insufficient_storage",
                    "the artifact disk has no room for " + declared + " bytes");
        }
    }

    private void checkReceived(ArtifactUpload upload, ArtifactFiles.Received received, OptionalLong declared) {
        if (declared.isPresent() && declared.getAsLong() != received.lengthBytes()) {
            files.discard(received);
            throw ArtifactException.invalid(
                    "upload_interrupted",
                    "received " + received.lengthBytes() + " of " + declared.getAsLong()
                            + " bytes; nothing was stored");
        }
        Optional<Sha256> expected = upload.expectedSha256();
        if (expected.isPresent() && !expected.get().equals(received.sha256())) {
            files.discard(received);
            throw ArtifactException.invalid(
                    "checksum_mismatch",
                    "the image's SHA-256 is " + received.sha256() + ", not the expected " + expected.get()
                            + "; nothing was stored");
        }
    }

    private Stored commit(ArtifactUpload upload, ArtifactFiles.Received received) {
        Optional<Artifact> existing = rows.find(received.sha256());
        if (existing.isPresent()) {
            if (!existing.get().describedBy(upload)) {
                files.discard(received);
            }
            Stored stored = repeatedUpload(existing.get(), upload);
            if (files.exists(received.sha256())) {
                files.discard(received);
            } else {
                LOG.warn("artifact {} had lost its content file; restored from this upload", received.sha256());
                files.commit(received);
            }
            return stored;
        }
        boolean newFile = files.commit(received);
        Artifact artifact = new Artifact(
                received.sha256(),
                received.lengthBytes(),
                upload.filename(),
                upload.version(),
                upload.hardwareIds(),
                upload.releaseNotes(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS),
                upload.createdBy());
        Optional<Artifact> raced = rows.insertIfAbsent(artifact);
        if (raced.isPresent()) {
            return repeatedUpload(raced.get(), upload);
        }
        LOG.info(
                "artifact {} stored: {} version {} ({} bytes, hardware {}, by {}{})",
                artifact.sha256(),
                artifact.filename(),
                artifact.version(),
                artifact.lengthBytes(),
                artifact.hardwareIds(),
                artifact.createdBy(),
                newFile ? "" : "; content file was on disk already");
        return new Stored(artifact, true);
    }

    private static Stored repeatedUpload(Artifact existing, ArtifactUpload upload) {
        if (!existing.describedBy(upload)) {
            throw new ArtifactException(
                    ArtifactException.Kind.CONFLICT,
                    "artifact_exists",
                    "this content is stored already as " + existing.filename() + " version " + existing.version()
                            + " (hardware " + existing.hardwareIds() + "); its metadata cannot change");
        }
        return new Stored(existing, false);
    }

    /** The artifact with this content digest, if stored. */
    public Optional<Artifact> find(Sha256 sha256) {
        return rows.find(sha256);
    }

    /** Stored artifacts, newest first, at most {@code limit}; only those that fit {@code hardwareId} if given. */
    public List<Artifact> list(Optional<String> hardwareId, int limit) {
        return rows.list(hardwareId, limit);
    }

    /**
     * Opens a range of an artifact's content for streaming; the caller closes the stream.
     *
     * @throws ArtifactException NOT_FOUND ({@code artifact_not_found}) if no such artifact; INVALID
     *     ({@code invalid_range}) if the range extends past its end
     */
    public InputStream open(Sha256 sha256, ByteRange range) {
        Artifact artifact = find(sha256)
                .orElseThrow(() -> new ArtifactException(
                        ArtifactException.Kind.NOT_FOUND, "artifact_not_found", "artifact " + sha256 + " not found"));
        if (range.end() > artifact.lengthBytes()) {
            throw ArtifactException.invalid(
                    "invalid_range",
                    "range " + range + " ends past the artifact's " + artifact.lengthBytes() + " bytes");
        }
        return files.open(sha256, range);
    }
}
