package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.update.Artifact;
import io.tsunagu.server.update.ArtifactException;
import io.tsunagu.server.update.ArtifactStore;
import io.tsunagu.server.update.ArtifactUpload;
import io.tsunagu.server.update.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * OTA artifact routes: upload a software image as a raw, streamed request body with its metadata as query
 * parameters; list and show artifacts; download one ({@link ArtifactDownload}: HTTP range requests, so a cut download
 * resumes). Artifacts are fleet administration: operators and admins only, owners get 403. Cars will fetch them over
 * the hawkBit DDI API with their certificates.
 */
public final class ArtifactRoutes implements ApiServer.Routes {
    private static final Set<String> UPLOAD_PARAMETERS =
            Set.of("filename", "version", "hardwareId", "releaseNotes", "sha256");
    private static final ListLimit LIMIT = new ListLimit(100, 1000);

    private final ArtifactStore store;
    private ApiServer api;

    public ArtifactRoutes(ArtifactStore store) {
        this.store = store;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        ArtifactDownload download = new ArtifactDownload(store, api);
        routing.post("/api/v1/artifacts", this::upload);
        routing.get("/api/v1/artifacts", this::list);
        routing.get("/api/v1/artifacts/{sha256}", this::show);
        routing.get("/api/v1/artifacts/{sha256}/content", (req, res) -> {
            requireFleetRole(api.principal(req));
            Artifact artifact = call(() -> found(sha256(req)));
            download.serve(req, res, artifact);
        });
    }

    private void upload(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        requireFleetRole(principal);
        ArtifactUpload upload = call(() -> uploadOf(req, principal));
        ArtifactStore.Stored stored;
        try (InputStream body = req.content().inputStream()) {
            stored = store.store(upload, body, req.headers().contentLength());
        } catch (ArtifactException e) {
            if (e.kind() == ArtifactException.Kind.INTERRUPTED) {
                // The client is gone: close quietly instead of answering (counted by the store).
                throw new CloseConnectionException("artifact upload broken off by the client", e);
            }
            throw apiError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String location = "/api/v1/artifacts/" + stored.artifact().sha256();
        res.header(HeaderNames.LOCATION, location);
        api.sendJson(res, stored.created() ? 201 : 200, artifactJson(stored.artifact()));
    }

    private ArtifactUpload uploadOf(ServerRequest req, Principal principal) {
        for (String name : req.query().names()) {
            if (!UPLOAD_PARAMETERS.contains(name)) {
                throw ApiException.badRequest(
                        "invalid_parameter",
                        "unknown query parameter '" + name + "'; expected "
                                + String.join(
                                        ", ",
                                        UPLOAD_PARAMETERS.stream().sorted().toList()));
            }
        }
        List<String> hardwareIds = new ArrayList<>();
        for (String value : req.query().all("hardwareId", List::of)) {
            for (String id : value.split(",", -1)) {
                hardwareIds.add(id.strip());
            }
        }
        return new ArtifactUpload(
                query(req, "filename"),
                query(req, "version"),
                hardwareIds,
                query(req, "releaseNotes"),
                req.query().first("sha256").asOptional().map(Sha256::of),
                principal.name());
    }

    private void list(ServerRequest req, ServerResponse res) {
        requireFleetRole(api.principal(req));
        Optional<String> hardwareId = req.query().first("hardwareId").asOptional();
        ArrayNode items = api.mapper().createArrayNode();
        store.list(hardwareId, LIMIT.of(req)).forEach(a -> items.add(artifactJson(a)));
        ObjectNode out = api.mapper().createObjectNode();
        out.set("items", items);
        out.put("count", items.size());
        api.sendJson(res, 200, out);
    }

    private void show(ServerRequest req, ServerResponse res) {
        requireFleetRole(api.principal(req));
        api.sendJson(res, 200, artifactJson(call(() -> found(sha256(req)))));
    }

    private Artifact found(Sha256 sha256) {
        return store.find(sha256).orElseThrow(() -> ApiException.notFound("artifact " + sha256));
    }

    private static Sha256 sha256(ServerRequest req) {
        return Sha256.of(req.path().pathParameters().get("sha256"));
    }

    private ObjectNode artifactJson(Artifact a) {
        ObjectNode node = api.mapper().createObjectNode();
        node.put("sha256", a.sha256().value());
        node.put("lengthBytes", a.lengthBytes());
        node.put("filename", a.filename());
        node.put("version", a.version());
        ArrayNode hardware = node.putArray("hardwareIds");
        a.hardwareIds().forEach(hardware::add);
        node.put("releaseNotes", a.releaseNotes());
        node.put("createdAt", a.createdAt().toString());
        node.put("createdBy", a.createdBy());
        node.put("contentPath", "/api/v1/artifacts/" + a.sha256() + "/content");
        return node;
    }

    private static String query(ServerRequest req, String name) {
        return req.query().first(name).asOptional().orElse("").strip();
    }

    private static void requireFleetRole(Principal principal) {
        if (principal.role() == Role.OWNER) {
            throw ApiException.forbidden("artifacts are for operators and admins; role 'owner' may not use them");
        }
    }

    /** Maps the store's errors onto HTTP statuses. */
    static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (ArtifactException e) {
            throw apiError(e);
        }
    }

    private static ApiException apiError(ArtifactException e) {
        return new ApiException(status(e.kind()), e.code(), e.getMessage());
    }

    private static int status(ArtifactException.Kind kind) {
        return switch (kind) {
            case INVALID, INTERRUPTED -> Status.BAD_REQUEST_400.code();
            case TOO_LARGE -> Status.REQUEST_ENTITY_TOO_LARGE_413.code();
            case NOT_FOUND -> Status.NOT_FOUND_404.code();
            case CONFLICT -> Status.CONFLICT_409.code();
            case NO_SPACE -> Status.INSUFFICIENT_STORAGE_507.code();
            case STORAGE -> Status.SERVICE_UNAVAILABLE_503.code();
        };
    }
}
