package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.protocol.InvalidVinException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.server.command.FleetCommandKey;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.fleet.Vehicle;
import io.tsunagu.server.fleet.VehicleProvisioning;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.update.uptane.UptaneRepositories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fleet routes: register a vehicle (returns its client certificate and private key once), list, show, revoke.
 * Operators and admins manage the fleet; an owner sees only own cars, and another car reads as not found.
 */
public final class VehicleRoutes implements ApiServer.Routes {
    private final VehicleRegistry registry;
    private final VehicleProvisioning provisioning;
    private final Consumer<Vin> onRevoked;
    private final FleetCommandKey.Info commandKey;
    private final UptaneRepositories uptane;
    private ApiServer api;

    /**
     * @param onRevoked told after a revocation (the gateway disconnects the car's live session)
     * @param commandKey the fleet's command key, returned with new credentials so the car can trust it
     * @param uptane whose newest roots are returned with new credentials: the car's initial trust in both repositories
     */
    public VehicleRoutes(
            VehicleRegistry registry,
            VehicleProvisioning provisioning,
            Consumer<Vin> onRevoked,
            FleetCommandKey.Info commandKey,
            UptaneRepositories uptane) {
        this.registry = registry;
        this.provisioning = provisioning;
        this.onRevoked = onRevoked;
        this.commandKey = commandKey;
        this.uptane = uptane;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        routing.post("/api/v1/vehicles", this::create);
        routing.get("/api/v1/vehicles", this::list);
        routing.get("/api/v1/vehicles/{vin}", this::show);
        routing.post("/api/v1/vehicles/{vin}/revoke", this::revoke);
        routing.post("/api/v1/vehicles/{vin}/certificates", this::reissue);
    }

    /** The VIN in the path, validated; 404 (not 403) if the caller may not see the car. */
    static Vehicle visibleVehicle(ServerRequest req, Principal principal, VehicleRegistry registry) {
        Vin vin = pathVin(req);
        return registry.find(vin).filter(principal::canSee).orElseThrow(() -> ApiException.notFound("vehicle " + vin));
    }

    /**
     * The VIN in the path of a registered car the caller may see, by the same rule and errors as {@link
     * #visibleVehicle}, from the registry's owner index: for per-car reads that need no more of the vehicle.
     */
    static Vin visibleVin(ServerRequest req, Principal principal, VehicleRegistry registry) {
        Vin vin = pathVin(req);
        // Plain branches, no lambdas: this runs on every twin read (no captured-lambda allocation per request).
        Optional<String> owner = registry.ownerOf(vin);
        if (owner.isEmpty() || !principal.canSeeVehicleOf(owner.get())) {
            throw ApiException.notFound("vehicle " + vin);
        }
        return vin;
    }

    private static Vin pathVin(ServerRequest req) {
        try {
            return Vin.of(req.path().pathParameters().get("vin"));
        } catch (InvalidVinException e) {
            throw ApiException.badRequest("invalid_vin", e.getMessage());
        }
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        requireFleetRole(principal);
        ObjectNode body = api.body(req);
        Vin vin;
        try {
            vin = Vin.of(requiredText(body, "vin"));
        } catch (InvalidVinException e) {
            throw ApiException.badRequest("invalid_vin", e.getMessage());
        }
        String model = requiredText(body, "model");
        String owner = requiredText(body, "owner");
        Set<String> tags = new LinkedHashSet<>();
        JsonNode tagNode = body.path("tags");
        if (!tagNode.isMissingNode() && !tagNode.isNull()) {
            if (!tagNode.isArray()) {
                throw ApiException.badRequest("invalid_body", "'tags' must be an array of strings");
            }
            tagNode.forEach(t -> tags.add(t.asText()));
        }
        var provisioned = provisioning.register(vin, model, owner, tags);
        ObjectNode out = vehicleJson(provisioned.vehicle());
        out.set("credentials", credentialsJson(provisioned.credentials()));
        out.set("commandKey", commandKeyJson(api, commandKey));
        out.set("uptane", uptaneJson());
        api.sendJson(res, 201, out);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Optional<String> owner = principal.role() == Role.OWNER
                ? Optional.of(principal.name())
                : req.query().first("owner").asOptional();
        ArrayNode items = api.mapper().createArrayNode();
        registry.list(owner).forEach(v -> items.add(vehicleJson(v)));
        ObjectNode out = api.mapper().createObjectNode();
        out.set("items", items);
        out.put("count", items.size());
        api.sendJson(res, 200, out);
    }

    private void show(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        api.sendJson(res, 200, vehicleJson(visibleVehicle(req, principal, registry)));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = visibleVehicle(req, principal, registry);
        requireFleetRole(principal);
        Vehicle revoked = registry.revoke(vehicle.vin());
        onRevoked.accept(revoked.vin());
        api.sendJson(res, 200, vehicleJson(revoked));
    }

    private void reissue(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = visibleVehicle(req, principal, registry);
        requireFleetRole(principal);
        IssuedCredentials credentials = provisioning.reissue(vehicle.vin());
        ObjectNode out = vehicleJson(registry.find(vehicle.vin()).orElse(vehicle));
        out.set("credentials", credentialsJson(credentials));
        out.set("commandKey", commandKeyJson(api, commandKey));
        out.set("uptane", uptaneJson());
        api.sendJson(res, 201, out);
    }

    private static void requireFleetRole(Principal principal) {
        if (principal.role() == Role.OWNER) {
            throw ApiException.forbidden("role 'owner' may not manage the fleet; an operator or admin token is needed");
        }
    }

    private static String requiredText(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw ApiException.badRequest("invalid_body", "field '" + field + "' is required (a non-empty string)");
        }
        return node.asText();
    }

    private ObjectNode vehicleJson(Vehicle v) {
        ObjectNode node = api.mapper().createObjectNode();
        node.put("vin", v.vin().value());
        node.put("model", v.model());
        node.put("owner", v.owner());
        ArrayNode tags = node.putArray("tags");
        v.tags().forEach(tags::add);
        node.put("registeredAt", v.registeredAt().toString());
        node.put("revoked", v.revoked());
        v.revokedAt().ifPresent(at -> node.put("revokedAt", at.toString()));
        v.certificate().ifPresent(c -> {
            ObjectNode cert = node.putObject("certificate");
            cert.put("serial", c.serial());
            cert.put("notBefore", c.notBefore().toString());
            cert.put("notAfter", c.notAfter().toString());
        });
        return node;
    }

    /** {@code {"keyId", "algorithm", "publicKey"}}: what a car needs to trust a command signing key. */
    static ObjectNode commandKeyJson(ApiServer api, FleetCommandKey.Info key) {
        ObjectNode node = api.mapper().createObjectNode();
        node.put("keyId", key.keyId());
        node.put("algorithm", key.algorithm());
        node.put("publicKey", key.publicKey());
        return node;
    }

    /**
     * {@code {"directorRoot": {...}, "imageRoot": {...}}}: the newest root of each repository, the metadata Uptane
     * requires in the car before its first update (Standard 5.4.4.1). The car checks each against its own root keys.
     */
    private ObjectNode uptaneJson() {
        ObjectNode node = api.mapper().createObjectNode();
        node.set("directorRoot", rootJson(uptane.director().newestRoot()));
        node.set("imageRoot", rootJson(uptane.image().newestRoot()));
        return node;
    }

    private JsonNode rootJson(SignedMetadata root) {
        try {
            return api.mapper().readTree(root.toJsonBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render a root the server signed", e);
        }
    }

    private ObjectNode credentialsJson(IssuedCredentials c) {
        ObjectNode node = api.mapper().createObjectNode();
        node.put("serial", c.serial().toString(16));
        node.put("certificatePem", c.certificatePem());
        node.put("privateKeyPem", c.privateKeyPem());
        node.put("caCertificatePem", c.caCertificatePem());
        node.put("notAfter", c.notAfter().toString());
        return node;
    }
}
