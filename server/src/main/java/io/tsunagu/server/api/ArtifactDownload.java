package io.tsunagu.server.api;

import io.helidon.common.socket.SocketWriterException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.update.Artifact;
import io.tsunagu.server.update.ArtifactException;
import io.tsunagu.server.update.ArtifactStore;
import io.tsunagu.server.update.ByteRange;
import io.tsunagu.server.update.RangeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an artifact's content from its file, honouring RFC 9110 conditional and range requests: {@code ETag} is the
 * quoted SHA-256 (content-addressed, so it never changes), {@code If-None-Match} answers 304, {@code Range} with one
 * byte range answers 206 with {@code Content-Range}, an unsatisfiable one 416, and {@code If-Range} is honoured
 * (see {@link RangeRequest}). Shared by every route that serves artifact bytes (later the hawkBit DDI download);
 * the caller authorizes the request first. Thread-safe.
 */
public final class ArtifactDownload {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactDownload.class);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final ArtifactStore store;
    private final ApiServer api;
    private final Metrics metrics;
    private final LongAdder sentBytes;
    private final LongAdder aborted;

    /** Registers its metrics ({@code tsunagu_artifact_*}) in the API server's registry. */
    public ArtifactDownload(ArtifactStore store, ApiServer api) {
        this.store = store;
        this.api = api;
        this.metrics = api.metrics();
        this.sentBytes = metrics.counter("tsunagu_artifact_sent_bytes_total", "Artifact content bytes sent");
        this.aborted = metrics.counter(
                "tsunagu_artifact_downloads_aborted_total",
                "Artifact downloads that ended before all their bytes were sent (the client broke off, or a disk error)");
    }

    /** Answers {@code req} with the artifact's content (200, 206, 304 or 416), streamed from its file. */
    public void serve(ServerRequest req, ServerResponse res, Artifact artifact) {
        String etag = '"' + artifact.sha256().value() + '"';
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.ACCEPT_RANGES, "bytes");
        if (req.headers()
                .first(HeaderNames.IF_NONE_MATCH)
                .filter(v -> matches(v, etag))
                .isPresent()) {
            count("not_modified");
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        RangeRequest request = RangeRequest.of(
                req.headers().first(HeaderNames.RANGE),
                req.headers().first(HeaderNames.IF_RANGE),
                artifact.sha256().value(),
                artifact.lengthBytes());
        switch (request) {
            case RangeRequest.Whole whole -> send(res, artifact, artifact.whole(), Status.OK_200);
            case RangeRequest.Partial partial -> {
                res.header(HeaderNames.CONTENT_RANGE, partial.range().contentRange(artifact.lengthBytes()));
                send(res, artifact, partial.range(), Status.PARTIAL_CONTENT_206);
            }
            case RangeRequest.Unsatisfiable unsatisfiable -> {
                count("unsatisfiable");
                res.header(HeaderNames.CONTENT_RANGE, "bytes */" + artifact.lengthBytes());
                api.sendError(
                        res,
                        Status.REQUESTED_RANGE_NOT_SATISFIABLE_416.code(),
                        "range_not_satisfiable",
                        "no requested range overlaps the " + artifact.lengthBytes() + " bytes of artifact "
                                + artifact.sha256());
            }
        }
    }

    /** {@code If-None-Match}: {@code *} or a list of entity tags (weak comparison, RFC 9110 13.1.2). */
    private static boolean matches(String header, String etag) {
        for (String tag : header.split(",", -1)) {
            String candidate = tag.strip();
            if (candidate.equals("*") || candidate.equals(etag) || candidate.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private void send(ServerResponse res, Artifact artifact, ByteRange range, Status status) {
        count(status == Status.OK_200 ? "whole" : "partial");
        InputStream in = ArtifactRoutes.call(() -> store.open(artifact.sha256(), range));
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + artifact.filename() + "\"");
        res.headers().contentLength(range.lengthBytes());
        long sent = 0;
        try (in;
                OutputStream out = res.outputStream()) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n = read(in, buffer, artifact); n >= 0; n = read(in, buffer, artifact)) {
                out.write(buffer, 0, n);
                sent += n;
            }
        } catch (IOException | UncheckedIOException | SocketWriterException | CloseConnectionException e) {
            // The client went away (cut link, abort) and resumes with a Range request; nothing more to answer.
            LOG.debug(
                    "download of artifact {} broken off after {} of {} bytes: {}",
                    artifact.sha256(),
                    sent,
                    range.lengthBytes(),
                    e.toString());
            throw new CloseConnectionException("artifact download broken off by the client", e);
        } finally {
            sentBytes.add(sent);
            // Counted by what was sent, not by the exception's type: any way the stream ends short is a broken-off
            // download (a failure type not listed above still propagates to Helidon, which closes the connection).
            if (sent < range.lengthBytes()) {
                aborted.increment();
            }
        }
    }

    /** Reads the artifact file; a failure here is the server's (disk), not the client's, and is logged as such. */
    private static int read(InputStream in, byte[] buffer, Artifact artifact) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            LOG.error("reading artifact {} from disk failed mid-download", artifact.sha256(), e);
            throw ArtifactException.storage("reading artifact " + artifact.sha256() + " failed: " + e.getMessage(), e);
        }
    }

    private void count(String kind) {
        metrics.counter("tsunagu_artifact_downloads_total", "Artifact content requests, by answer", "kind", kind)
                .increment();
    }
}
