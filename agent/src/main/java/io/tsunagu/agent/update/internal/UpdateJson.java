package io.tsunagu.agent.update.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.EcuSerial;
import io.tsunagu.agent.update.Slot;
import io.tsunagu.agent.update.StepKind;
import io.tsunagu.agent.update.UpdateActionId;
import io.tsunagu.agent.update.UpdateOutcome;
import io.tsunagu.agent.update.UpdateStep;
import java.util.Optional;

/**
 * The stored form of boot-control records, steps and outcomes: small JSON objects, so that the file is readable with
 * any MVStore tool and a later field can be added without migrating. Format version 1 ({@code "v": 1}); a record of
 * an unknown version is refused, never guessed at.
 */
final class UpdateJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int VERSION = 1;

    private UpdateJson() {}

    static String bootControl(BootControl bc) {
        ObjectNode node = versioned();
        node.put("active", bc.active().name());
        bc.trial().ifPresent(t -> node.put("trial", t.name()));
        node.put("bootAttemptsLeft", bc.bootAttemptsLeft());
        node.set("a", slot(bc.a()));
        node.set("b", slot(bc.b()));
        return node.toString();
    }

    static BootControl bootControl(String json) {
        JsonNode node = parse(json);
        return new BootControl(
                Slot.valueOf(node.path("active").asText()),
                optional(node, "trial").map(Slot::valueOf),
                node.path("bootAttemptsLeft").asInt(),
                slot(node.path("a")),
                slot(node.path("b")));
    }

    static String step(UpdateStep step) {
        ObjectNode node = versioned();
        node.put("seq", step.seq());
        node.put("stepId", step.stepId());
        node.put("actionId", step.actionId().value());
        node.put("ecu", step.ecu().value());
        node.put("kind", step.kind().wireName());
        node.put("version", step.version());
        step.reason().ifPresent(r -> node.put("reason", r));
        node.put("atMs", step.atMs());
        return node.toString();
    }

    static UpdateStep step(String json) {
        JsonNode node = parse(json);
        return new UpdateStep(
                node.path("seq").asLong(),
                node.path("stepId").asText(),
                UpdateActionId.of(node.path("actionId").asText()),
                EcuSerial.of(node.path("ecu").asText()),
                StepKind.ofWireName(node.path("kind").asText()),
                node.path("version").asText(),
                optional(node, "reason"),
                node.path("atMs").asLong());
    }

    static String outcome(UpdateOutcome outcome) {
        ObjectNode node = versioned();
        node.put("actionId", outcome.actionId().value());
        node.put("ecu", outcome.ecu().value());
        node.put("kind", outcome.kind().wireName());
        node.put("version", outcome.version());
        outcome.reason().ifPresent(r -> node.put("reason", r));
        return node.toString();
    }

    static UpdateOutcome outcome(String json) {
        JsonNode node = parse(json);
        return new UpdateOutcome(
                UpdateActionId.of(node.path("actionId").asText()),
                EcuSerial.of(node.path("ecu").asText()),
                StepKind.ofWireName(node.path("kind").asText()),
                node.path("version").asText(),
                optional(node, "reason"));
    }

    private static ObjectNode slot(SlotRecord slot) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("state", slot.state().name());
        node.put("version", slot.version());
        node.put("sha256", slot.sha256());
        node.put("lengthBytes", slot.lengthBytes());
        slot.actionId().ifPresent(id -> node.put("actionId", id.value()));
        return node;
    }

    private static SlotRecord slot(JsonNode node) {
        return new SlotRecord(
                SlotState.valueOf(node.path("state").asText()),
                node.path("version").asText(),
                node.path("sha256").asText(),
                node.path("lengthBytes").asLong(),
                optional(node, "actionId").map(UpdateActionId::of));
    }

    private static ObjectNode versioned() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("v", VERSION);
        return node;
    }

    private static Optional<String> optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node.path("v").asInt() != VERSION) {
                throw new AgentException("update_store_corrupt", "unknown update record version: " + json, false);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new AgentException("update_store_corrupt", "stored update record does not parse: " + e, false, e);
        }
    }
}
