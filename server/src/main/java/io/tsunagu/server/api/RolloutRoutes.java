package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.Role;
import io.tsunagu.server.fleet.Vehicle;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.update.rollout.Campaign;
import io.tsunagu.server.update.rollout.RolloutException;
import io.tsunagu.server.update.rollout.RolloutService;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * OTA rollout routes: distributions and campaigns (operators and admins; owners get 403), campaign start, pause,
 * resume and cancel, per-group progress and per-car actions, and a car's update actions (owners only their own cars;
 * another car reads as 404).
 */
public final class RolloutRoutes implements ApiServer.Routes {
    private static final ListLimit LIMIT = new ListLimit(100, 10_000);

    private final VehicleRegistry registry;
    private final RolloutService rollouts;
    private ApiServer api;
    private RolloutJson json;

    public RolloutRoutes(VehicleRegistry registry, RolloutService rollouts) {
        this.registry = registry;
        this.rollouts = rollouts;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        this.json = new RolloutJson(api.mapper());
        routing.post("/api/v1/distributions", this::createDistribution);
        routing.get("/api/v1/distributions", this::listDistributions);
        routing.post("/api/v1/campaigns", this::createCampaign);
        routing.get("/api/v1/campaigns", this::listCampaigns);
        routing.get("/api/v1/campaigns/{id}", this::showCampaign);
        routing.get("/api/v1/campaigns/{id}/actions", this::campaignActions);
        routing.post("/api/v1/campaigns/{id}/start", (req, res) -> operate(req, res, rollouts::startCampaign));
        routing.post("/api/v1/campaigns/{id}/pause", (req, res) -> operate(req, res, rollouts::pauseCampaign));
        routing.post("/api/v1/campaigns/{id}/resume", (req, res) -> operate(req, res, rollouts::resumeCampaign));
        routing.post("/api/v1/campaigns/{id}/cancel", this::cancel);
        routing.get("/api/v1/vehicles/{vin}/updates", this::vehicleUpdates);
    }

    private void createDistribution(ServerRequest req, ServerResponse res) {
        Principal principal = operator(req);
        ObjectNode body = api.body(req);
        var created = call(() -> rollouts.createDistribution(json.distributionRequest(body, principal.name())));
        api.sendJson(res, 201, json.distribution(created));
    }

    private void listDistributions(ServerRequest req, ServerResponse res) {
        operator(req);
        api.sendJson(
                res,
                200,
                json.list(rollouts.distributions(LIMIT.of(req)).stream()
                        .map(json::distribution)
                        .toList()));
    }

    private void createCampaign(ServerRequest req, ServerResponse res) {
        Principal principal = operator(req);
        ObjectNode body = api.body(req);
        Campaign created = call(() -> rollouts.createCampaign(json.campaignRequest(body, principal.name())));
        api.sendJson(res, 201, json.campaign(created));
    }

    private void listCampaigns(ServerRequest req, ServerResponse res) {
        operator(req);
        api.sendJson(
                res,
                200,
                json.list(rollouts.campaigns(LIMIT.of(req)).stream()
                        .map(json::campaign)
                        .toList()));
    }

    private void showCampaign(ServerRequest req, ServerResponse res) {
        operator(req);
        long id = campaignId(req);
        Campaign campaign = rollouts.campaign(id).orElseThrow(() -> ApiException.notFound("campaign " + id));
        api.sendJson(res, 200, json.campaign(campaign));
    }

    private void campaignActions(ServerRequest req, ServerResponse res) {
        operator(req);
        long id = campaignId(req);
        rollouts.campaign(id).orElseThrow(() -> ApiException.notFound("campaign " + id));
        Optional<Integer> group = req.query().first("group").asOptional().map(RolloutRoutes::group);
        api.sendJson(
                res,
                200,
                json.list(rollouts.campaignActions(id, group, LIMIT.of(req)).stream()
                        .map(json::action)
                        .toList()));
    }

    private void operate(ServerRequest req, ServerResponse res, LongFunction<Campaign> operation) {
        operator(req);
        long id = campaignId(req);
        api.sendJson(res, 200, json.campaign(call(() -> operation.apply(id))));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        Principal principal = operator(req);
        long id = campaignId(req);
        api.sendJson(res, 200, json.campaign(call(() -> rollouts.cancelCampaign(id, principal.name()))));
    }

    private void vehicleUpdates(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, principal, registry);
        api.sendJson(
                res,
                200,
                json.list(rollouts.vehicleActions(vehicle.vin(), LIMIT.of(req)).stream()
                        .map(json::action)
                        .toList()));
    }

    private Principal operator(ServerRequest req) {
        Principal principal = api.principal(req);
        if (principal.role() == Role.OWNER) {
            throw ApiException.forbidden("rollouts are for operators and admins");
        }
        return principal;
    }

    /** A campaign id that is not a number names no campaign: 404, like an unknown one. */
    private static long campaignId(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("campaign " + raw);
        }
    }

    private static int group(String raw) {
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_group", "'group' must be a group number, got " + raw);
        }
    }

    /** Maps the rollout service's errors onto HTTP statuses (400, 404, 409). */
    private static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (RolloutException e) {
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            throw new ApiException(status, e.code(), e.getMessage());
        }
    }
}
