package io.tsunagu.agent.update.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.ActionChannel;
import io.tsunagu.agent.update.ActionNotice;
import io.tsunagu.agent.update.Deployment;
import io.tsunagu.agent.update.DeploymentImage;
import io.tsunagu.agent.update.UpdateActionId;
import io.tsunagu.agent.update.UpdateStep;
import io.tsunagu.protocol.Vin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hawkBit DDI v1 device API as the car's {@link ActionChannel}, over HTTPS authenticated by the car's client
 * certificate: one action model for DDI clients (SWUpdate, RAUC) and this agent. Base {@code
 * /{tenant}/controller/v1/{vin}}; the poll reads the {@code deploymentBase} / {@code cancelAction} links, the action
 * comes from {@code deploymentBase/{id}}, steps go to {@code deploymentBase/{id}/feedback} and cancel answers to
 * {@code cancelAction/{id}/feedback}.
 *
 * <p>Step mapping (DDI {@code status.execution} / {@code result.finished}): downloading → {@code download}, downloaded
 * → {@code downloaded}, installing/installed/rebooting → {@code proceeding}, committed → {@code closed}/{@code
 * success}, rolled_back/failed → {@code closed}/{@code failure}; the reason (a stable code first, e.g. {@code
 * hash_mismatch: ...}) is the first of the {@code details}. A 409 (a cancel is pending) or a transient fault fails the
 * report so the step stays queued; other 4xx mean the server will never take it: logged, and the step is dropped.
 */
public final class DdiActionChannel implements ActionChannel {
    /** hawkBit's default tenant. */
    public static final String DEFAULT_TENANT = "DEFAULT";

    private static final Logger LOG = LoggerFactory.getLogger(DdiActionChannel.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DDI_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Vin vin;
    private final URI controller;
    private final URI base;
    private final HttpClient http;
    private final HttpCalls calls;
    private final Duration timeout;

    /** @param origin the server's HTTPS origin, e.g. {@code https://cloud.example:8443} */
    public DdiActionChannel(URI origin, String tenant, Vin vin, HttpClient http, Duration timeout) {
        this.vin = vin;
        // The poll is the controller resource itself, without a trailing slash (hawkBit and our routes differ on it).
        this.controller = origin.resolve("/" + tenant + "/controller/v1/" + vin.value());
        this.base = origin.resolve("/" + tenant + "/controller/v1/" + vin.value() + "/");
        this.http = http;
        this.calls = new HttpCalls(http, timeout);
        this.timeout = timeout;
    }

    @Override
    public Optional<ActionNotice> poll() {
        JsonNode links = json(calls.get(controller).orElseThrow(() -> notFound("controller " + vin)))
                .path("_links");
        if (links.has("cancelAction")) {
            return Optional.of(new ActionNotice(idOf(links.path("cancelAction")), true));
        }
        if (links.has("deploymentBase")) {
            return Optional.of(new ActionNotice(idOf(links.path("deploymentBase")), false));
        }
        return Optional.empty();
    }

    @Override
    public Deployment deployment(UpdateActionId actionId) {
        JsonNode body = json(calls.get(base.resolve("deploymentBase/" + actionId.value()))
                .orElseThrow(() -> notFound("action " + actionId)));
        List<DeploymentImage> images = new ArrayList<>();
        for (JsonNode chunk : body.path("deployment").path("chunks")) {
            for (JsonNode artifact : chunk.path("artifacts")) {
                images.add(image(chunk, artifact));
            }
        }
        return new Deployment(actionId, images);
    }

    @Override
    public void cancelFeedback(UpdateActionId actionId, boolean confirmed, String details) {
        ObjectNode body = feedback(actionId, confirmed ? "canceled" : "rejected", "none", List.of(details));
        calls.post(base.resolve("cancelAction/" + actionId.value() + "/feedback"), bytes(body));
        LOG.info("{} action {}: cancel {}", vin, actionId, confirmed ? "confirmed" : "rejected");
    }

    @Override
    public CompletionStage<Void> report(UpdateStep step) {
        URI uri = base.resolve("deploymentBase/" + step.actionId().value() + "/feedback");
        byte[] body = bytes(feedback(step));
        return http.sendAsync(HttpCalls.post(uri, body, timeout), HttpResponse.BodyHandlers.ofByteArray())
                .thenCompose(response -> delivered(step, response));
    }

    private CompletableFuture<Void> delivered(UpdateStep step, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return CompletableFuture.completedFuture(null);
        }
        if (status == 409 || HttpCalls.retriable(status)) {
            return CompletableFuture.failedFuture(new AgentException(
                    "update_server_unreachable", "step " + step.stepId() + ": HTTP " + status, true));
        }
        LOG.warn(
                "{}: the server refuses step {} ({}) with HTTP {}; dropping it",
                vin,
                step.stepId(),
                step.kind().wireName(),
                status);
        return CompletableFuture.completedFuture(null);
    }

    private ObjectNode feedback(UpdateStep step) {
        List<String> details = new ArrayList<>();
        step.reason().ifPresent(details::add);
        details.add("step " + step.stepId() + ": " + step.kind().wireName() + " " + step.version() + " on ECU "
                + step.ecu());
        return switch (step.kind()) {
            case DOWNLOADING -> feedback(step.actionId(), "download", "none", details);
            case DOWNLOADED -> feedback(step.actionId(), "downloaded", "none", details);
            case INSTALLING, INSTALLED, REBOOTING -> feedback(step.actionId(), "proceeding", "none", details);
            case COMMITTED -> feedback(step.actionId(), "closed", "success", details);
            case ROLLED_BACK, FAILED -> feedback(step.actionId(), "closed", "failure", details);
        };
    }

    private static ObjectNode feedback(UpdateActionId id, String execution, String finished, List<String> details) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("id", id.value());
        body.put("time", DDI_TIME.format(Instant.now()));
        ObjectNode status = body.putObject("status");
        status.put("execution", execution);
        status.putObject("result").put("finished", finished);
        ArrayNode lines = status.putArray("details");
        details.forEach(lines::add);
        return body;
    }

    private static DeploymentImage image(JsonNode chunk, JsonNode artifact) {
        String href = artifact.path("_links").path("download").path("href").asText("");
        if (href.isEmpty()) {
            href = artifact.path("_links").path("download-http").path("href").asText("");
        }
        String sha256 = artifact.path("hashes").path("sha256").asText("");
        if (href.isEmpty() || sha256.isEmpty()) {
            throw new AgentException(
                    "invalid_deployment",
                    "artifact " + artifact.path("filename") + " has no download link or sha256",
                    false);
        }
        return new DeploymentImage(
                chunk.path("name").asText(),
                chunk.path("version").asText(),
                sha256.toLowerCase(Locale.ROOT),
                artifact.path("size").asLong(),
                URI.create(href));
    }

    /** The action id is the last path segment of a DDI link ({@code .../deploymentBase/42?c=-2129030598}). */
    private static UpdateActionId idOf(JsonNode link) {
        String path = URI.create(link.path("href").asText()).getPath();
        return UpdateActionId.of(path.substring(path.lastIndexOf('/') + 1));
    }

    private static JsonNode json(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AgentException("invalid_deployment", "the server's answer is not JSON: " + e, false, e);
        }
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static AgentException notFound(String what) {
        return new AgentException("action_not_found", what + " not found", false);
    }
}
