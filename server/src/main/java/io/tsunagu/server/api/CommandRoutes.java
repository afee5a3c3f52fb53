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
import io.tsunagu.server.command.AuditLog;
import io.tsunagu.server.command.Command;
import io.tsunagu.server.command.CommandException;
import io.tsunagu.server.command.CommandRequest;
import io.tsunagu.server.command.CommandService;
import io.tsunagu.server.command.PairedKey;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.fleet.Vehicle;
import io.tsunagu.server.fleet.VehicleRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Remote command routes: send a command to a car (signed by the fleet key, or an envelope a user signed on their own
 * device with a paired key), list and show its commands, cancel one, follow state changes live (Server-Sent Events),
 * the car's paired user keys, the fleet's command key, and the audit log. An owner may command only own cars (another car
 * reads as 404); operators and admins any car. The audit log is for operators and admins.
 */
public final class CommandRoutes implements ApiServer.Routes {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Set<String> BODY_FIELDS = Set.of("action", "params", "expiresAt");
    private static final ListLimit LIMIT = new ListLimit(50, 500);

    private final VehicleRegistry registry;
    private final CommandService commands;
    private ApiServer api;

    public CommandRoutes(VehicleRegistry registry, CommandService commands) {
        this.registry = registry;
        this.commands = commands;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        CommandStream stream = new CommandStream(api, commands, this::commandJson);
        routing.post("/api/v1/vehicles/{vin}/commands", this::create);
        routing.post("/api/v1/vehicles/{vin}/commands/signed", this::createSigned);
        routing.get("/api/v1/vehicles/{vin}/keys", this::pairedKeys);
        routing.get("/api/v1/vehicles/{vin}/commands", this::list);
        // Before {id}, which would otherwise match "stream".
        routing.get("/api/v1/vehicles/{vin}/commands/stream", (req, res) -> {
            Principal principal = api.principal(req);
            stream.serve(VehicleRoutes.visibleVehicle(req, principal, registry).vin(), res);
        });
        routing.get("/api/v1/vehicles/{vin}/commands/{id}", this::show);
        routing.post("/api/v1/vehicles/{vin}/commands/{id}/cancel", this::cancel);
        routing.get("/api/v1/command-keys/fleet", this::fleetKey);
        routing.get("/api/v1/audit", this::audit);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, principal, registry);
        if (vehicle.revoked()) {
            throw new ApiException(409, "vehicle_revoked", "vehicle " + vehicle.vin() + " is revoked");
        }
        ObjectNode body = api.body(req);
        for (var field : body.properties()) {
            if (!BODY_FIELDS.contains(field.getKey())) {
                throw ApiException.badRequest(
                        "invalid_body",
                        "unknown field '" + field.getKey() + "'; expected "
                                + String.join(
                                        ", ", BODY_FIELDS.stream().sorted().toList()));
            }
        }
        JsonNode action = body.path("action");
        if (!action.isTextual() || action.asText().isBlank()) {
            throw ApiException.badRequest("invalid_body", "field 'action' is required (e.g. \"doors.lock\")");
        }
        CommandRequest request = new CommandRequest(
                vehicle.vin(),
                action.asText(),
                params(body.path("params")),
                expiresAt(body.path("expiresAt")),
                principal.name(),
                idempotencyKey(req));
        CommandService.Submission submission = call(() -> commands.submit(request));
        api.sendJson(res, submission.created() ? 202 : 200, commandJson(submission.command()));
    }

    /** An envelope the user signed on their own device: checked, stored and relayed unchanged (never re-signed). */
    private void createSigned(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, principal, registry);
        if (vehicle.revoked()) {
            throw new ApiException(409, "vehicle_revoked", "vehicle " + vehicle.vin() + " is revoked");
        }
        ObjectNode body = api.body(req);
        for (var field : body.properties()) {
            if (!field.getKey().equals("envelope")) {
                throw ApiException.badRequest(
                        "invalid_body", "unknown field '" + field.getKey() + "'; expected envelope");
            }
        }
        JsonNode envelope = body.path("envelope");
        if (!envelope.isTextual() || envelope.asText().isBlank()) {
            throw ApiException.badRequest(
                    "invalid_body", "field 'envelope' is required: a base64 serialized CommandEnvelope");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(envelope.asText().strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_envelope", "'envelope' is not base64: " + e.getMessage());
        }
        Optional<String> key = idempotencyKey(req);
        CommandService.Submission submission =
                call(() -> commands.submitSigned(vehicle.vin(), bytes, principal.name(), key));
        api.sendJson(res, submission.created() ? 202 : 200, commandJson(submission.command()));
    }

    private void pairedKeys(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, principal, registry);
        ArrayNode items = api.mapper().createArrayNode();
        for (PairedKey key : commands.pairedKeys(vehicle.vin())) {
            ObjectNode node = items.addObject();
            node.put("keyId", key.keyId());
            node.put("algorithm", key.algorithm());
            node.put("publicKey", key.publicKey());
            node.put("commandId", key.commandId());
            node.put("pairedAt", key.pairedAt().toString());
            node.put("state", key.state());
            key.revokedAt().ifPresent(at -> node.put("revokedAt", at.toString()));
            key.revokeCommandId().ifPresent(id -> node.put("revokeCommandId", id));
        }
        ObjectNode out = api.mapper().createObjectNode();
        out.set("items", items);
        out.put("count", items.size());
        api.sendJson(res, 200, out);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, principal, registry);
        ArrayNode items = api.mapper().createArrayNode();
        commands.list(vehicle.vin(), LIMIT.of(req)).forEach(c -> items.add(commandJson(c)));
        ObjectNode out = api.mapper().createObjectNode();
        out.set("items", items);
        out.put("count", items.size());
        api.sendJson(res, 200, out);
    }

    private void show(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, principal, registry);
        String id = req.path().pathParameters().get("id");
        Command command = commands.find(vehicle.vin(), id)
                .orElseThrow(() -> ApiException.notFound("command " + id + " of " + vehicle.vin()));
        api.sendJson(res, 200, commandJson(command));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, principal, registry);
        String id = req.path().pathParameters().get("id");
        api.sendJson(res, 200, commandJson(call(() -> commands.cancel(vehicle.vin(), id, principal.name()))));
    }

    private void fleetKey(ServerRequest req, ServerResponse res) {
        api.principal(req);
        api.sendJson(
                res, 200, VehicleRoutes.commandKeyJson(api, commands.fleetKey().info()));
    }

    private void audit(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        if (principal.role() == Role.OWNER) {
            throw ApiException.forbidden("the audit log is for operators and admins");
        }
        Optional<Vin> vin = req.query().first("vin").asOptional().map(CommandRoutes::vin);
        ArrayNode items = api.mapper().createArrayNode();
        for (AuditLog.Entry entry : commands.audit().list(vin, LIMIT.of(req))) {
            ObjectNode node = items.addObject();
            node.put("at", entry.at().toString());
            node.put("principal", entry.principal());
            node.put("vin", entry.vin().value());
            node.put("commandId", entry.commandId());
            node.put("action", entry.action());
            ObjectNode params = node.putObject("params");
            entry.params().forEach(params::put);
            node.put("outcome", entry.outcome());
        }
        ObjectNode out = api.mapper().createObjectNode();
        out.set("items", items);
        out.put("count", items.size());
        api.sendJson(res, 200, out);
    }

    /** A command as the API shows it; absent timestamps and reasons are left out. */
    ObjectNode commandJson(Command c) {
        ObjectNode node = api.mapper().createObjectNode();
        node.put("id", c.id());
        node.put("vin", c.vin().value());
        node.put("seq", c.seq());
        node.put("action", c.action());
        ObjectNode params = node.putObject("params");
        c.params().forEach(params::put);
        node.put("state", c.state().code());
        c.reason().ifPresent(r -> node.put("reason", r));
        c.message().ifPresent(m -> node.put("message", m));
        node.put("requestedBy", c.requestedBy());
        node.put("keyId", c.keyId());
        node.put("keyCounter", c.keyCounter());
        node.put("attempts", c.attempts());
        node.put("createdAt", c.createdAt().toString());
        node.put("expiresAt", c.expiresAt().toString());
        c.sentAt().ifPresent(at -> node.put("sentAt", at.toString()));
        c.deliveredAt().ifPresent(at -> node.put("deliveredAt", at.toString()));
        c.finishedAt().ifPresent(at -> node.put("finishedAt", at.toString()));
        return node;
    }

    private static Map<String, String> params(JsonNode node) {
        Map<String, String> params = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return params;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_body", "'params' must be a JSON object");
        }
        for (var field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isNumber()) {
                params.put(field.getKey(), value.decimalValue().toPlainString());
            } else if (value.isTextual() || value.isBoolean()) {
                params.put(field.getKey(), value.asText());
            } else {
                throw ApiException.badRequest(
                        "invalid_param", "parameter '" + field.getKey() + "' must be a string, number or boolean");
            }
        }
        return params;
    }

    /** ISO-8601 instant or epoch milliseconds (number or digits). */
    private static Optional<Instant> expiresAt(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        String text = node.asText().strip();
        try {
            if (node.isIntegralNumber() || text.matches("\\d{1,15}")) {
                return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
            }
            if (node.isTextual()) {
                return Optional.of(Instant.parse(text));
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(
                "invalid_expiry", "'expiresAt' must be an ISO-8601 instant or epoch milliseconds, got " + node);
    }

    private static Optional<String> idempotencyKey(ServerRequest req) {
        Optional<String> key = req.headers().first(HeaderNames.create(IDEMPOTENCY_KEY));
        if (key.isPresent() && (key.get().isBlank() || key.get().length() > 200)) {
            throw ApiException.badRequest(
                    "invalid_idempotency_key",
                    "Idempotency-Key must be 1-200 characters, got " + key.get().length());
        }
        return key.map(String::strip);
    }

    private static Vin vin(String raw) {
        try {
            return Vin.of(raw);
        } catch (InvalidVinException e) {
            throw ApiException.badRequest("invalid_vin", e.getMessage());
        }
    }

    /** Maps the command service's errors onto HTTP statuses (400, 404, 409). */
    private static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (CommandException e) {
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            throw new ApiException(status, e.code(), e.getMessage());
        }
    }
}
