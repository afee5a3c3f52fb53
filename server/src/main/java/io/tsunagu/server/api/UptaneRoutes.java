package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.protocol.InvalidVinException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.RepositorySigner;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.TargetInfo;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.update.uptane.ImageAssignment;
import io.tsunagu.server.update.uptane.UptaneException;
import io.tsunagu.server.update.uptane.UptaneRepositories;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Uptane repositories over HTTP. Cars fetch TUF metadata files as the repositories signed them ({@code
 * N.root.json}, {@code timestamp.json}, {@code snapshot.json}, {@code targets.json}), from the image repository and
 * from their own director path; a car authenticates with its client certificate on the HTTPS listener ({@link
 * CarCertificates}), an operator with a token. A car (or owner) asking for another car's director metadata gets 404.
 * Operators release images and set a car's director targets; only admins rotate roots.
 */
public final class UptaneRoutes implements ApiServer.Routes {
    private static final String IMAGE = "/api/v1/uptane/image";
    private static final String DIRECTOR = "/api/v1/uptane/director/{vin}";

    private final UptaneRepositories uptane;
    private final VehicleRegistry registry;
    private ApiServer api;

    public UptaneRoutes(UptaneRepositories uptane, VehicleRegistry registry) {
        this.uptane = uptane;
        this.registry = registry;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        routing.get("/api/v1/uptane/image/{version}.root.json", this::imageRoot);
        routing.get(
                "/api/v1/uptane/image/timestamp.json",
                (req, res) -> imageFile(req, res, RepositorySigner.Published::timestamp));
        routing.get(
                "/api/v1/uptane/image/snapshot.json",
                (req, res) -> imageFile(req, res, RepositorySigner.Published::snapshot));
        routing.get(
                "/api/v1/uptane/image/targets.json",
                (req, res) -> imageFile(req, res, RepositorySigner.Published::targets));
        routing.post("/api/v1/uptane/image/targets", this::release);
        routing.get("/api/v1/uptane/director/{vin}/{version}.root.json", this::directorRoot);
        routing.get(
                "/api/v1/uptane/director/{vin}/timestamp.json",
                (req, res) -> directorFile(req, res, RepositorySigner.Published::timestamp));
        routing.get(
                "/api/v1/uptane/director/{vin}/snapshot.json",
                (req, res) -> directorFile(req, res, RepositorySigner.Published::snapshot));
        routing.get(
                "/api/v1/uptane/director/{vin}/targets.json",
                (req, res) -> directorFile(req, res, RepositorySigner.Published::targets));
        routing.put("/api/v1/uptane/director/{vin}/targets", this::assign);
        routing.post("/api/v1/uptane/{repo}/root/rotate", this::rotate);
    }

    private void imageRoot(ServerRequest req, ServerResponse res) {
        CarCertificates.caller(req, api, registry);
        sendMetadata(res, version(req).flatMap(v -> uptane.image().root(v)), "image repository root");
    }

    private void imageFile(
            ServerRequest req, ServerResponse res, Function<RepositorySigner.Published, SignedMetadata> file) {
        CarCertificates.caller(req, api, registry);
        sendMetadata(res, Optional.of(file.apply(mapped(() -> uptane.image().current()))), "");
    }

    private void directorRoot(ServerRequest req, ServerResponse res) {
        directorVin(req);
        sendMetadata(res, version(req).flatMap(v -> uptane.director().root(v)), "director root");
    }

    private void directorFile(
            ServerRequest req, ServerResponse res, Function<RepositorySigner.Published, SignedMetadata> file) {
        Vin vin = directorVin(req);
        sendMetadata(res, Optional.of(file.apply(mapped(() -> uptane.director().current(vin)))), "");
    }

    private void release(ServerRequest req, ServerResponse res) {
        requireOperator(api.principal(req));
        ObjectNode body = api.body(req);
        String sha256 = text(body, "sha256");
        OptionalLong counter = OptionalLong.empty();
        JsonNode given = body.get("releaseCounter");
        if (given != null && !given.isNull()) {
            if (!given.canConvertToExactIntegral() || !given.canConvertToLong()) {
                throw ApiException.badRequest("invalid_body", "'releaseCounter' must be a whole number");
            }
            counter = OptionalLong.of(given.asLong());
        }
        OptionalLong releaseCounter = counter;
        TargetInfo target = mapped(() -> uptane.image().add(sha256, releaseCounter));
        ObjectNode out = api.mapper().createObjectNode();
        out.put("name", target.name());
        out.put("length", target.lengthBytes());
        out.put("sha256", target.sha256().orElse(""));
        ArrayNode hardware = out.putArray("hardwareIds");
        target.hardwareIds().forEach(hardware::add);
        out.put("releaseCounter", target.releaseCounter().orElse(0));
        api.sendJson(res, 201, out);
    }

    private void assign(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vin vin = VehicleRoutes.visibleVehicle(req, principal, registry).vin();
        requireOperator(principal);
        JsonNode images = api.body(req).get("images");
        if (images == null || !images.isArray()) {
            throw ApiException.badRequest(
                    "invalid_body", "field 'images' is required: [{\"sha256\", \"hardwareId\"}], empty for none");
        }
        List<ImageAssignment> assignments = new ArrayList<>();
        for (JsonNode image : images) {
            if (!image.isObject()) {
                throw ApiException.badRequest("invalid_body", "each image is {\"sha256\", \"hardwareId\"}");
            }
            Optional<String> hardwareId = Optional.ofNullable(image.get("hardwareId"))
                    .filter(JsonNode::isTextual)
                    .map(JsonNode::asText);
            assignments.add(new ImageAssignment(text((ObjectNode) image, "sha256"), hardwareId));
        }
        RepositorySigner.Published published = mapped(() -> uptane.director().assign(vin, assignments));
        res.header(HeaderNames.CONTENT_TYPE, ApiServer.JSON)
                .send(published.targets().toJsonBytes());
    }

    private void rotate(ServerRequest req, ServerResponse res) {
        if (api.principal(req).role() != Role.ADMIN) {
            throw ApiException.forbidden("only an admin may rotate Uptane root keys");
        }
        String repo = req.path().pathParameters().get("repo");
        SignedMetadata root = switch (repo) {
            case "image" -> mapped(() -> uptane.image().rotateRoot());
            case "director" -> mapped(() -> uptane.director().rotateRoot());
            default -> throw ApiException.notFound("Uptane repository '" + repo + "' (image or director)");
        };
        res.status(201).header(HeaderNames.CONTENT_TYPE, ApiServer.JSON).send(root.toJsonBytes());
    }

    /** The VIN of a director path, if the caller may read it: the car itself, its owner, an operator or an admin. */
    private Vin directorVin(ServerRequest req) {
        Vin vin;
        try {
            vin = Vin.of(req.path().pathParameters().get("vin"));
        } catch (InvalidVinException e) {
            throw ApiException.badRequest("invalid_vin", e.getMessage());
        }
        CarCertificates.Caller caller = CarCertificates.caller(req, api, registry);
        boolean allowed = registry.find(vin)
                .filter(v -> caller.car()
                        .map(vin::equals)
                        .orElseGet(() -> caller.user().orElseThrow().canSee(v)))
                .isPresent();
        if (!allowed) {
            throw ApiException.notFound("vehicle " + vin);
        }
        return vin;
    }

    private static Optional<Long> version(ServerRequest req) {
        try {
            return Optional.of(Long.parseLong(req.path().pathParameters().get("version")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void sendMetadata(ServerResponse res, Optional<SignedMetadata> file, String what) {
        SignedMetadata metadata =
                file.orElseThrow(() -> new ApiException(404, "metadata_not_found", what + " not found"));
        // Served byte for byte as signed and stored: snapshot and timestamp name these exact lengths and hashes.
        res.header(HeaderNames.CONTENT_TYPE, ApiServer.JSON)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(metadata.toJsonBytes());
    }

    private static void requireOperator(Principal principal) {
        if (principal.role() == Role.OWNER) {
            throw ApiException.forbidden("role 'owner' may not change Uptane metadata; an operator or admin is needed");
        }
    }

    private static String text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw ApiException.badRequest("invalid_body", "field '" + field + "' is required (a non-empty string)");
        }
        return node.asText();
    }

    /** Runs a repository call, turning its refusals into API errors with the matching status. */
    static <T> T mapped(Supplier<T> call) {
        try {
            return call.get();
        } catch (UptaneException e) {
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case UNAVAILABLE -> 503;
            };
            throw new ApiException(status, e.code(), e.getMessage());
        }
    }
}
