package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.ActionType;
import io.tsunagu.server.update.rollout.Campaign;
import io.tsunagu.server.update.rollout.CampaignGroup;
import io.tsunagu.server.update.rollout.CampaignRequest;
import io.tsunagu.server.update.rollout.Distribution;
import io.tsunagu.server.update.rollout.DistributionRequest;
import io.tsunagu.server.update.rollout.GroupSpec;
import io.tsunagu.server.update.rollout.MaintenanceWindow;
import io.tsunagu.server.update.rollout.ParkedGate;
import io.tsunagu.server.update.rollout.TargetQuery;
import io.tsunagu.server.update.rollout.UpdateAction;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON of distributions, campaigns and update actions: parsing requests (every problem a 400 naming the field) and
 * rendering results. Stateless.
 */
final class RolloutJson {
    private final ObjectMapper mapper;

    RolloutJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    DistributionRequest distributionRequest(ObjectNode body, String by) {
        List<DistributionRequest.Module> modules = new ArrayList<>();
        for (JsonNode m : array(body, "modules", true)) {
            List<DistributionRequest.ArtifactRef> artifacts = new ArrayList<>();
            for (JsonNode a : array(m, "artifacts", true)) {
                artifacts.add(new DistributionRequest.ArtifactRef(text(a, "sha256", true), text(a, "filename", false)));
            }
            modules.add(new DistributionRequest.Module(
                    text(m, "hardwareId", true),
                    text(m, "name", true),
                    text(m, "type", true),
                    text(m, "version", true),
                    artifacts));
        }
        return new DistributionRequest(
                text(body, "name", true),
                text(body, "version", true),
                text(body, "model", true),
                text(body, "description", false),
                modules,
                by);
    }

    CampaignRequest campaignRequest(ObjectNode body, String by) {
        JsonNode distribution = body.path("distributionId");
        if (!distribution.canConvertToLong()) {
            throw ApiException.badRequest("invalid_body", "'distributionId' (a number) is required");
        }
        List<GroupSpec> groups = new ArrayList<>();
        for (JsonNode g : array(body, "groups", true)) {
            groups.add(group(g));
        }
        ActionType type = ActionType.parse(text(body, "type", false).isEmpty() ? "forced" : text(body, "type", false))
                .orElseThrow(() -> ApiException.badRequest("invalid_body", "'type' must be 'forced' or 'soft'"));
        return new CampaignRequest(
                text(body, "name", true),
                distribution.asLong(),
                target(body.path("target")),
                groups,
                integer(body, "successThresholdPct").orElse(100),
                integer(body, "errorThresholdPct").orElse(0),
                type,
                window(body.path("maintenanceWindow")),
                gate(body.path("parkedGate")),
                by);
    }

    private GroupSpec group(JsonNode g) {
        Optional<Integer> percent = integer(g, "percent");
        Optional<Integer> count = integer(g, "count");
        if (percent.isPresent() == count.isPresent()) {
            throw ApiException.badRequest("invalid_groups", "each group needs exactly one of 'percent' or 'count'");
        }
        return new GroupSpec(
                percent.isPresent() ? GroupSpec.Amount.PERCENT : GroupSpec.Amount.COUNT,
                percent.orElseGet(count::orElseThrow),
                integer(g, "successThresholdPct"),
                integer(g, "errorThresholdPct"));
    }

    private TargetQuery target(JsonNode t) {
        if (t.isMissingNode() || t.isNull()) {
            return TargetQuery.all();
        }
        if (!t.isObject()) {
            throw ApiException.badRequest("invalid_body", "'target' must be an object");
        }
        String model = text(t, "model", false);
        return new TargetQuery(
                model.isBlank() ? Optional.empty() : Optional.of(model),
                strings(t, "tags"),
                strings(t, "currentVersions"));
    }

    private static Optional<MaintenanceWindow> window(JsonNode w) {
        if (w.isMissingNode() || w.isNull()) {
            return Optional.empty();
        }
        try {
            String zone = text(w, "timezone", false);
            return Optional.of(new MaintenanceWindow(
                    text(w, "schedule", true),
                    Duration.parse(text(w, "duration", true)),
                    ZoneId.of(zone.isEmpty() ? "UTC" : zone)));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_window", "'duration' must be ISO-8601, e.g. PT2H");
        } catch (DateTimeException e) {
            throw ApiException.badRequest("invalid_window", "'timezone' is not a time zone: " + e.getMessage());
        }
    }

    private static Optional<ParkedGate> gate(JsonNode g) {
        if (g.isMissingNode() || g.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new ParkedGate(integer(g, "minStateOfChargePct").orElse(0)));
    }

    ObjectNode distribution(Distribution d) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", d.id()).put("name", d.name()).put("version", d.version()).put("model", d.model());
        node.put("description", d.description());
        ArrayNode modules = node.putArray("modules");
        for (Distribution.SoftwareModule m : d.modules()) {
            ObjectNode mn = modules.addObject();
            mn.put("hardwareId", m.hardwareId()).put("name", m.name()).put("type", m.type());
            mn.put("version", m.version());
            ArrayNode artifacts = mn.putArray("artifacts");
            m.artifacts()
                    .forEach(a -> artifacts
                            .addObject()
                            .put("sha256", a.sha256())
                            .put("filename", a.filename())
                            .put("lengthBytes", a.lengthBytes()));
        }
        node.put("createdBy", d.createdBy()).put("createdAt", d.createdAt().toString());
        return node;
    }

    ObjectNode campaign(Campaign c) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", c.id()).put("name", c.name()).put("distributionId", c.distributionId());
        node.put("state", c.state().code());
        c.reason().ifPresent(r -> node.put("reason", r));
        node.put("type", c.type().code()).put("targetCount", c.targetCount());
        ObjectNode target = node.putObject("target");
        c.target().model().ifPresent(m -> target.put("model", m));
        c.target().tags().stream().sorted().forEach(target.putArray("tags")::add);
        c.target().currentVersions().stream().sorted().forEach(target.putArray("currentVersions")::add);
        c.window()
                .ifPresent(w -> node.putObject("maintenanceWindow")
                        .put("schedule", w.schedule())
                        .put("duration", w.duration().toString())
                        .put("timezone", w.zone().getId()));
        c.gate().ifPresent(g -> node.putObject("parkedGate").put("minStateOfChargePct", g.minStateOfChargePct()));
        node.put("createdBy", c.createdBy()).put("createdAt", c.createdAt().toString());
        c.startedAt().ifPresent(at -> node.put("startedAt", at.toString()));
        c.finishedAt().ifPresent(at -> node.put("finishedAt", at.toString()));
        ArrayNode groups = node.putArray("groups");
        c.groups().forEach(g -> groups.add(group(g)));
        return node;
    }

    private ObjectNode group(CampaignGroup g) {
        ObjectNode node = mapper.createObjectNode();
        node.put("position", g.position()).put("state", g.state().code()).put("targetCount", g.targetCount());
        node.put("successThresholdPct", g.successThresholdPct()).put("errorThresholdPct", g.errorThresholdPct());
        node.put("successPct", g.successPct()).put("failurePct", g.failurePct());
        g.startedAt().ifPresent(at -> node.put("startedAt", at.toString()));
        g.finishedAt().ifPresent(at -> node.put("finishedAt", at.toString()));
        ObjectNode actions = node.putObject("actions");
        for (ActionState s : ActionState.values()) {
            actions.put(s.code(), g.count(s));
        }
        return node;
    }

    ObjectNode action(UpdateAction a) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", a.id()).put("vin", a.vin().value()).put("campaignId", a.campaignId());
        node.put("group", a.groupPosition()).put("distributionId", a.distributionId());
        node.put("type", a.type().code()).put("state", a.state().code());
        node.put("createdAt", a.createdAt().toString())
                .put("updatedAt", a.updatedAt().toString());
        a.offeredAt().ifPresent(at -> node.put("offeredAt", at.toString()));
        a.finishedAt().ifPresent(at -> node.put("finishedAt", at.toString()));
        return node;
    }

    ObjectNode list(List<ObjectNode> items) {
        ObjectNode out = mapper.createObjectNode();
        out.putArray("items").addAll(items);
        out.put("count", items.size());
        return out;
    }

    private static List<JsonNode> array(JsonNode node, String field, boolean required) {
        JsonNode value = node.path(field);
        if (!value.isArray() || (required && value.isEmpty())) {
            throw ApiException.badRequest("invalid_body", "'" + field + "' must be a non-empty array");
        }
        List<JsonNode> out = new ArrayList<>();
        value.forEach(out::add);
        return out;
    }

    private static Set<String> strings(JsonNode node, String field) {
        JsonNode value = node.path(field);
        Set<String> out = new TreeSet<>();
        if (value.isMissingNode() || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("invalid_body", "'" + field + "' must be an array of strings");
        }
        for (JsonNode v : value) {
            if (!v.isTextual()) {
                throw ApiException.badRequest("invalid_body", "'" + field + "' must be an array of strings");
            }
            out.add(v.asText());
        }
        return out;
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                throw ApiException.badRequest("invalid_body", "field '" + field + "' is required");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_body", "field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static Optional<Integer> integer(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.badRequest("invalid_body", "field '" + field + "' must be an integer");
        }
        return Optional.of(value.asInt());
    }
}
