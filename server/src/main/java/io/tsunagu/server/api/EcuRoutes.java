package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.fleet.Vehicle;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.update.uptane.EcuInventory;
import io.tsunagu.server.update.uptane.VehicleEcu;
import java.util.ArrayList;
import java.util.List;

/**
 * A car's ECU inventory, which the Uptane director binds images to: GET lists it, PUT replaces it ({@code {"ecus":
 * [...]}}), POST adds or updates one ECU ({@code {"serial", "hardwareId", "primary"}}). Operators and admins write;
 * an owner may read its own cars' ECUs.
 */
public final class EcuRoutes implements ApiServer.Routes {
    private final VehicleRegistry registry;
    private final EcuInventory ecus;
    private ApiServer api;

    public EcuRoutes(VehicleRegistry registry, EcuInventory ecus) {
        this.registry = registry;
        this.ecus = ecus;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        routing.get("/api/v1/vehicles/{vin}/ecus", this::list);
        routing.put("/api/v1/vehicles/{vin}/ecus", this::replace);
        routing.post("/api/v1/vehicles/{vin}/ecus", this::put);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, api.principal(req), registry);
        api.sendJson(res, 200, ecusJson(api, ecus.list(vehicle.vin())));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        Vehicle vehicle = writableVehicle(req);
        JsonNode list = api.body(req).get("ecus");
        if (list == null || !list.isArray()) {
            throw ApiException.badRequest("invalid_body", "field 'ecus' is required (an array of ECUs)");
        }
        List<VehicleEcu> parsed = new ArrayList<>();
        list.forEach(node -> parsed.add(ecu(node)));
        api.sendJson(res, 200, ecusJson(api, UptaneRoutes.mapped(() -> ecus.replace(vehicle.vin(), parsed))));
    }

    private void put(ServerRequest req, ServerResponse res) {
        Vehicle vehicle = writableVehicle(req);
        VehicleEcu ecu = ecu(api.body(req));
        api.sendJson(res, 200, ecusJson(api, UptaneRoutes.mapped(() -> ecus.put(vehicle.vin(), ecu))));
    }

    private Vehicle writableVehicle(ServerRequest req) {
        Principal principal = api.principal(req);
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, principal, registry);
        if (principal.role() == Role.OWNER) {
            throw ApiException.forbidden(
                    "role 'owner' may not change a car's ECUs; an operator or admin token is needed");
        }
        return vehicle;
    }

    private static VehicleEcu ecu(JsonNode node) {
        if (!node.isObject()
                || !node.path("serial").isTextual()
                || !node.path("hardwareId").isTextual()) {
            throw ApiException.badRequest(
                    "invalid_ecus", "an ECU is {\"serial\": string, \"hardwareId\": string, \"primary\": boolean}");
        }
        JsonNode primary = node.path("primary");
        if (!primary.isMissingNode() && !primary.isBoolean()) {
            throw ApiException.badRequest("invalid_ecus", "'primary' must be true or false");
        }
        try {
            return new VehicleEcu(
                    node.get("serial").asText(), node.get("hardwareId").asText(), primary.asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_ecus", e.getMessage());
        }
    }

    static ObjectNode ecusJson(ApiServer api, List<VehicleEcu> list) {
        ArrayNode items = api.mapper().createArrayNode();
        list.forEach(e -> items.addObject()
                .put("serial", e.serial())
                .put("hardwareId", e.hardwareId())
                .put("primary", e.primary()));
        ObjectNode out = api.mapper().createObjectNode();
        out.set("ecus", items);
        return out;
    }
}
