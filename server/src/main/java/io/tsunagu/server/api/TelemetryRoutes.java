package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.history.SampleStore;
import io.tsunagu.server.ingest.RejectionLog;
import io.tsunagu.server.twin.TwinStore;
import java.time.Clock;

/** Per-car telemetry routes: the digital twin, the history and the car's recent rejected input. */
public final class TelemetryRoutes implements ApiServer.Routes {
    private final VehicleRegistry registry;
    private final TwinStore twins;
    private final SampleStore history;
    private final RejectionLog rejections;
    private final Clock clock;
    private ApiServer api;
    private TwinJson twinJson;

    public TelemetryRoutes(
            VehicleRegistry registry, TwinStore twins, SampleStore history, RejectionLog rejections, Clock clock) {
        this.clock = clock;
        this.registry = registry;
        this.twins = twins;
        this.history = history;
        this.rejections = rejections;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        this.twinJson = new TwinJson(api.mapper().getFactory());
        routing.get("/api/v1/vehicles/{vin}/twin", this::twin);
        routing.get("/api/v1/vehicles/{vin}/history", this::history);
        routing.get("/api/v1/vehicles/{vin}/rejections", this::rejections);
    }

    /**
     * The twin: owner check from the registry's owner index, the in-memory snapshot, streamed JSON. Nothing here
     * reads SQL once the caller's token and the car's owner are known (see docs/architecture.md, "Twin reads
     * measured").
     */
    private void twin(ServerRequest req, ServerResponse res) {
        Vin vin = VehicleRoutes.visibleVin(req, api.principal(req), registry);
        res.header(ApiServer.JSON_CONTENT_TYPE).send(twinJson.render(vin, twins.get(vin)));
    }

    private void history(ServerRequest req, ServerResponse res) {
        Vin vin = VehicleRoutes.visibleVin(req, api.principal(req), registry);
        api.sendJson(res, 200, HistoryRequest.run(req, vin, history, api.mapper(), clock.millis()));
    }

    private void rejections(ServerRequest req, ServerResponse res) {
        Vin vin = VehicleRoutes.visibleVin(req, api.principal(req), registry);
        ObjectNode out = api.mapper().createObjectNode();
        out.put("vin", vin.value());
        out.put("total", rejections.total(vin));
        ArrayNode items = out.putArray("recent");
        rejections.recent(vin).forEach(r -> {
            ObjectNode item = items.addObject();
            item.put("at", r.at().toString());
            item.put("reason", r.reason().code());
            r.path().ifPresent(p -> item.put("signal", p));
            item.put("message", r.message());
        });
        api.sendJson(res, 200, out);
    }
}
