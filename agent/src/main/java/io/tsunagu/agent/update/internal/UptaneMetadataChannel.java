package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.MetadataChannel;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.FetchedMetadata;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Uptane metadata over HTTPS from the Tsunagu server: {@code /api/v1/uptane/image/...} and the car's own {@code
 * /api/v1/uptane/director/{vin}/...}, each with {@code N.root.json}, {@code timestamp.json}, {@code snapshot.json} and
 * {@code targets.json}. New roots are fetched as N+1, N+2, ... until the first 404 (TUF 5.3.2), at most 32 (the
 * verifier's own bound refuses more).
 */
public final class UptaneMetadataChannel implements MetadataChannel {
    private static final int MAX_NEW_ROOTS = 33;

    private final HttpCalls calls;
    private final URI image;
    private final URI director;

    /** @param base the server's HTTPS origin, e.g. {@code https://cloud.example:8443} */
    public UptaneMetadataChannel(URI base, Vin vin, HttpClient http, Duration timeout) {
        this.calls = new HttpCalls(http, timeout);
        this.image = base.resolve("/api/v1/uptane/image/");
        this.director = base.resolve("/api/v1/uptane/director/" + vin.value() + "/");
    }

    @Override
    public FetchedMetadata director(long trustedRootVersion) {
        return fetch(director, trustedRootVersion);
    }

    @Override
    public FetchedMetadata image(long trustedRootVersion) {
        return fetch(image, trustedRootVersion);
    }

    private FetchedMetadata fetch(URI repo, long trustedRootVersion) {
        List<byte[]> roots = new ArrayList<>();
        for (long v = trustedRootVersion + 1; roots.size() < MAX_NEW_ROOTS; v++) {
            Optional<byte[]> root = calls.get(repo.resolve(v + ".root.json"));
            if (root.isEmpty()) {
                break;
            }
            roots.add(root.get());
        }
        return new FetchedMetadata(
                roots, file(repo, "timestamp.json"), file(repo, "snapshot.json"), file(repo, "targets.json"));
    }

    private byte[] file(URI repo, String name) {
        URI uri = repo.resolve(name);
        return calls.get(uri)
                .orElseThrow(() -> new AgentException(
                        "update_server_unreachable", uri.getPath() + ": not found (nothing published yet?)", true));
    }
}
