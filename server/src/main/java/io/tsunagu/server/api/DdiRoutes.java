package io.tsunagu.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.protocol.InvalidVinException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.update.Artifact;
import io.tsunagu.server.update.ArtifactStore;
import io.tsunagu.server.update.Sha256;
import io.tsunagu.server.update.ddi.DdiActionFeedback;
import io.tsunagu.server.update.ddi.DdiArtifactHashes;
import io.tsunagu.server.update.ddi.DdiConfigData;
import io.tsunagu.server.update.ddi.DdiDeviceApi;
import io.tsunagu.server.update.ddi.DdiException;
import io.tsunagu.server.update.ddi.DdiLinks;
import io.tsunagu.server.update.ddi.DdiModuleId;
import io.tsunagu.server.update.ddi.DdiTokens;
import io.tsunagu.server.update.rollout.Distribution;
import io.tsunagu.server.update.rollout.RolloutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * hawkBit's DDI API v1 device endpoints under {@code /{tenant}/controller/v1/{controllerId}} (controllerId = VIN), so
 * that SWUpdate's suricatta and rauc-hawkbit-updater update a car unchanged; plus the operator route that creates a
 * car's DDI target token. Who may call which controller is {@link DdiAuthenticator}'s; what each resource answers is
 * {@link DdiDeviceApi}'s; this class maps HTTP onto them. Status codes as hawkBit's: 200 (feedback and configData
 * with an empty body), 400 bad body, 401, 404 unknown tenant, car, action or artifact, 409 conflicting report, 410
 * feedback on a finished action.
 */
public final class DdiRoutes implements ApiServer.Routes {
    private final DdiDeviceApi device;
    private final DdiTokens tokens;
    private final DdiAuthenticator authenticator;
    private final DdiArtifactHashes hashes;
    private final ArtifactStore artifacts;
    private ApiServer api;
    private ArtifactDownload download;

    public DdiRoutes(
            DdiDeviceApi device,
            DdiTokens tokens,
            DdiAuthenticator authenticator,
            DdiArtifactHashes hashes,
            ArtifactStore artifacts) {
        this.device = device;
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.hashes = hashes;
        this.artifacts = artifacts;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        this.download = new ArtifactDownload(artifacts, api);
        routing.post("/api/v1/vehicles/{vin}/ddi-token", this::createToken);
        routing.delete("/api/v1/vehicles/{vin}/ddi-token", this::revokeToken);
        routing.get(
                "/{tenant}/controller/v1/{controllerId}",
                (req, res) -> api.sendJson(res, 200, device.base(links(req))));
        routing.get("/{tenant}/controller/v1/{controllerId}/deploymentBase/{actionId}", (req, res) -> {
            DdiLinks links = links(req);
            api.sendJson(res, 200, call(() -> device.deploymentBase(links, actionId(req), history(req))));
        });
        routing.post("/{tenant}/controller/v1/{controllerId}/deploymentBase/{actionId}/feedback", (req, res) -> {
            Vin vin = authenticated(req);
            DdiActionFeedback feedback = body(req, DdiActionFeedback.class);
            run(() -> device.deploymentFeedback(vin, actionId(req), feedback));
            res.status(200).send();
        });
        routing.get("/{tenant}/controller/v1/{controllerId}/cancelAction/{actionId}", (req, res) -> {
            Vin vin = authenticated(req);
            api.sendJson(res, 200, call(() -> device.cancelAction(vin, actionId(req))));
        });
        routing.post("/{tenant}/controller/v1/{controllerId}/cancelAction/{actionId}/feedback", (req, res) -> {
            Vin vin = authenticated(req);
            DdiActionFeedback feedback = body(req, DdiActionFeedback.class);
            run(() -> device.cancelFeedback(vin, actionId(req), feedback));
            res.status(200).send();
        });
        routing.get("/{tenant}/controller/v1/{controllerId}/installedBase/{actionId}", (req, res) -> {
            DdiLinks links = links(req);
            api.sendJson(res, 200, call(() -> device.installedBase(links, actionId(req), history(req))));
        });
        routing.put("/{tenant}/controller/v1/{controllerId}/configData", (req, res) -> {
            Vin vin = authenticated(req);
            DdiConfigData data = body(req, DdiConfigData.class);
            run(() -> device.configData(vin, data));
            res.status(200).send();
        });
        routing.get("/{tenant}/controller/v1/{controllerId}/softwaremodules/{moduleId}/artifacts", (req, res) -> {
            DdiLinks links = links(req);
            api.sendJson(res, 200, call(() -> device.moduleArtifacts(links, moduleId(req))));
        });
        routing.get(
                "/{tenant}/controller/v1/{controllerId}/softwaremodules/{moduleId}/artifacts/{fileName}",
                this::artifact);
    }

    private void artifact(ServerRequest req, ServerResponse res) {
        Vin vin = authenticated(req);
        DdiModuleId module = moduleId(req);
        String fileName = req.path().pathParameters().get("fileName");
        String md5Suffix = ".MD5SUM";
        if (fileName.endsWith(md5Suffix) && fileName.length() > md5Suffix.length()) {
            String target = fileName.substring(0, fileName.length() - md5Suffix.length());
            Distribution.Artifact artifact = call(() -> device.downloadable(vin, module, target));
            // The md5sum(1) check-file format: "<md5>  <file name>", as hawkBit serves it.
            String line = hashes.of(artifact.sha256()).md5() + "  " + target + "\n";
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=US-ASCII");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
            res.send(line.getBytes(StandardCharsets.US_ASCII));
            return;
        }
        Distribution.Artifact wanted = call(() -> device.downloadable(vin, module, fileName));
        Artifact stored = ArtifactRoutes.call(() -> artifacts.find(Sha256.of(wanted.sha256())))
                .orElseThrow(() -> new ApiException(404, DdiException.ARTIFACT_NOT_FOUND, "artifact content missing"));
        download.serve(req, res, stored);
    }

    private void createToken(ServerRequest req, ServerResponse res) {
        Principal principal = operator(req);
        Vin vin = pathVin(req);
        String token = call(() -> tokens.createTargetToken(vin, principal.name()));
        api.sendJson(
                res,
                201,
                api.mapper()
                        .createObjectNode()
                        .put("vin", vin.value())
                        .put("tokenType", "TargetToken")
                        .put("token", token));
    }

    private void revokeToken(ServerRequest req, ServerResponse res) {
        operator(req);
        Vin vin = pathVin(req);
        if (!call(() -> tokens.revokeTargetToken(vin))) {
            throw ApiException.notFound("DDI target token of " + vin);
        }
        res.status(204).send();
    }

    private Principal operator(ServerRequest req) {
        Principal principal = api.principal(req);
        if (principal.role() == Role.OWNER) {
            throw ApiException.forbidden("only operators and admins manage DDI target tokens");
        }
        return principal;
    }

    private static Vin pathVin(ServerRequest req) {
        String raw = req.path().pathParameters().get("vin");
        try {
            return Vin.of(raw);
        } catch (InvalidVinException e) {
            throw ApiException.badRequest("invalid_vin", e.getMessage());
        }
    }

    private Vin authenticated(ServerRequest req) {
        return authenticator.authenticate(req);
    }

    private DdiLinks links(ServerRequest req) {
        Vin vin = authenticated(req);
        String origin = req.requestedUri().scheme() + "://" + req.requestedUri().authority();
        return new DdiLinks(origin, req.path().pathParameters().get("tenant"), vin, req.isSecure());
    }

    private <T> T body(ServerRequest req, Class<T> type) {
        try (InputStream in = req.content().inputStream()) {
            return api.mapper().readValue(in, type);
        } catch (JsonProcessingException e) {
            authenticator.rejected("invalid_body");
            throw ApiException.badRequest("invalid_body", "not a valid DDI body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long actionId(ServerRequest req) {
        String raw = req.path().pathParameters().get("actionId");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ApiException(404, DdiException.ACTION_NOT_FOUND, "action " + raw + " not found");
        }
    }

    private DdiModuleId moduleId(ServerRequest req) {
        String raw = req.path().pathParameters().get("moduleId");
        return DdiModuleId.parse(raw)
                .orElseThrow(() -> new ApiException(
                        404, DdiException.ARTIFACT_NOT_FOUND, "software module " + raw + " not found"));
    }

    /** {@code ?actionHistory=N}; hawkBit's default is no history. */
    private static int history(ServerRequest req) {
        String raw = req.query().first("actionHistory").orElse("0");
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter", "actionHistory must be an integer, got '" + raw + "'");
        }
    }

    private void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** Maps DDI and rollout refusals to hawkBit's status codes. */
    private <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (DdiException e) {
            throw new ApiException(status(e), e.code(), e.getMessage());
        } catch (RolloutException e) {
            authenticator.rejected(e.code());
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            throw new ApiException(status, e.code(), e.getMessage());
        }
    }

    private static int status(DdiException e) {
        return switch (e.code()) {
            case DdiException.ACTION_CLOSED -> 410;
            case DdiException.ACTION_NOT_FOUND, DdiException.ARTIFACT_NOT_FOUND, DdiException.VEHICLE_NOT_FOUND -> 404;
            case DdiException.STORAGE_FAILED -> 503;
            default -> 400;
        };
    }
}
