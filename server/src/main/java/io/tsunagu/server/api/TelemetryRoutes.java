package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.server.fleet.Vehicle;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.history.SampleStore;
import io.tsunagu.server.ingest.RejectionLog;
import io.tsunagu.server.twin.Twin;
import io.tsunagu.server.twin.TwinStore;
import io.tsunagu.server.twin.TwinValue;
import java.time.Clock;
import java.util.Map;

/** Per-car telemetry routes: the digital twin, the history and the car's recent rejected input. */
public final class TelemetryRoutes implements ApiServer.Routes {
    private final VehicleRegistry registry;
    private final TwinStore twins;
    private final SampleStore history;
    private final RejectionLog rejections;
    private final Clock clock;
    private ApiServer api;

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
        routing.get("/api/v1/vehicles/{vin}/twin", this::twin);
        routing.get("/api/v1/vehicles/{vin}/history", this::history);
        routing.get("/api/v1/vehicles/{vin}/rejections", this::rejections);
    }

    private void twin(ServerRequest req, ServerResponse res) {
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, api.principal(req), registry);
        ObjectNode out = api.mapper().createObjectNode();
        out.put("vin", vehicle.vin().value());
        Twin twin = twins.get(vehicle.vin()).orElse(null);
        out.put("online", twin != null && twin.online());
        if (twin == null) {
            out.putNull("lastSeen");
            out.putObject("reported");
            out.putObject("desired");
            out.putObject("delta");
            api.sendJson(res, 200, out);
            return;
        }
        twin.lastSeen().ifPresentOrElse(at -> out.put("lastSeen", at.toString()), () -> out.putNull("lastSeen"));
        twin.connectedSince().ifPresent(at -> out.put("connectedSince", at.toString()));
        out.set("reported", values(twin.reported()));
        out.set("desired", values(twin.desired()));
        ObjectNode delta = out.putObject("delta");
        twin.delta().forEach((path, entry) -> {
            ObjectNode d = delta.putObject(path);
            d.set("desired", JsonValues.of(entry.desired().value()));
            entry.reported().ifPresent(r -> d.set("reported", JsonValues.of(r.value())));
        });
        api.sendJson(res, 200, out);
    }

    private ObjectNode values(Map<String, TwinValue> values) {
        ObjectNode node = api.mapper().createObjectNode();
        values.forEach((path, v) -> {
            ObjectNode entry = node.putObject(path);
            entry.set("value", JsonValues.of(v.value()));
            entry.put("ts", v.tsMs());
        });
        return node;
    }

    private void history(ServerRequest req, ServerResponse res) {
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, api.principal(req), registry);
        api.sendJson(res, 200, HistoryRequest.run(req, vehicle.vin(), history, api.mapper(), clock.millis()));
    }

    private void rejections(ServerRequest req, ServerResponse res) {
        Vehicle vehicle = VehicleRoutes.visibleVehicle(req, api.principal(req), registry);
        ObjectNode out = api.mapper().createObjectNode();
        out.put("vin", vehicle.vin().value());
        out.put("total", rejections.total(vehicle.vin()));
        ArrayNode items = out.putArray("recent");
        rejections.recent(vehicle.vin()).forEach(r -> {
            ObjectNode item = items.addObject();
            item.put("at", r.at().toString());
            item.put("reason", r.reason().code());
            r.path().ifPresent(p -> item.put("signal", p));
            item.put("message", r.message());
        });
        api.sendJson(res, 200, out);
    }
}
