package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.internal.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One entry of targets metadata: {@code name: {"length", "hashes", "custom"}}. The Uptane fields live in
 * {@code custom} (Uptane Standard 5.2.3): the image repository gives {@code hardware_ids} (which ECU hardware the
 * image is for) and {@code release_counter} (the image version, never lowered on an ECU); the director gives
 * {@code ecu_identifiers}, a map from ECU serial to {@code {"hardware_id"}}, saying which of this car's ECUs must run
 * the image. Other custom fields are kept and signed along.
 *
 * @param name the target path, the same in both repositories
 * @param hashes algorithm to lower-case hex; {@code sha256} is required by the verifier
 * @param custom the {@code custom} object, possibly empty
 */
public record TargetInfo(String name, long lengthBytes, Map<String, String> hashes, ObjectNode custom) {
    public static final String HARDWARE_IDS = "hardware_ids";
    public static final String RELEASE_COUNTER = "release_counter";
    public static final String ECU_IDENTIFIERS = "ecu_identifiers";
    public static final String HARDWARE_ID = "hardware_id";

    public TargetInfo {
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("length must not be negative: " + lengthBytes);
        }
        hashes = Map.copyOf(hashes);
        custom = custom.deepCopy();
    }

    /** An image-repository target: for these hardware ids, at this release counter. */
    public static TargetInfo image(
            String name, long lengthBytes, String sha256, List<String> hardwareIds, long releaseCounter) {
        ObjectNode custom = CanonicalJson.object();
        ArrayNode ids = custom.putArray(HARDWARE_IDS);
        hardwareIds.forEach(ids::add);
        custom.put(RELEASE_COUNTER, releaseCounter);
        return new TargetInfo(name, lengthBytes, Map.of(Hashes.SHA256, sha256), custom);
    }

    /** A director target: install this image on these ECUs (serial to hardware id). */
    public static TargetInfo director(
            String name, long lengthBytes, String sha256, Map<String, String> ecuHardwareIds) {
        ObjectNode custom = CanonicalJson.object();
        ObjectNode ecus = custom.putObject(ECU_IDENTIFIERS);
        new TreeMap<>(ecuHardwareIds)
                .forEach((serial, hw) -> ecus.putObject(serial).put(HARDWARE_ID, hw));
        return new TargetInfo(name, lengthBytes, Map.of(Hashes.SHA256, sha256), custom);
    }

    static TargetInfo fromJson(String name, JsonNode node) {
        String where = "targets." + name;
        if (!node.isObject()) {
            throw Fields.malformed(where + " must be an object");
        }
        long length = Fields.count(node, "length", where);
        Map<String, String> hashes = Hashes.fromJson(Fields.object(node, "hashes", where), where);
        ObjectNode custom =
                node.has("custom") ? (ObjectNode) Fields.object(node, "custom", where) : CanonicalJson.object();
        return new TargetInfo(name, length, hashes, custom);
    }

    ObjectNode toJson() {
        ObjectNode node = CanonicalJson.object();
        node.put("length", lengthBytes);
        ObjectNode h = node.putObject("hashes");
        new TreeMap<>(hashes).forEach(h::put);
        node.set("custom", custom.deepCopy());
        return node;
    }

    /** A copy of {@code custom}. */
    @Override
    public ObjectNode custom() {
        return custom.deepCopy();
    }

    /** The SHA-256 hex digest, if listed. */
    public Optional<String> sha256() {
        return Optional.ofNullable(hashes.get(Hashes.SHA256));
    }

    /** Image repository: the hardware ids the image is built for; empty when absent. */
    public List<String> hardwareIds() {
        if (!custom.has(HARDWARE_IDS)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : Fields.array(custom, HARDWARE_IDS, "targets." + name + ".custom")) {
            if (!id.isTextual()) {
                throw Fields.malformed("targets." + name + ".custom.hardware_ids must hold strings");
            }
            ids.add(id.textValue());
        }
        return ids;
    }

    /** Image repository: the release counter (image version), if given. */
    public OptionalLong releaseCounter() {
        return custom.has(RELEASE_COUNTER)
                ? OptionalLong.of(Fields.count(custom, RELEASE_COUNTER, "targets." + name + ".custom"))
                : OptionalLong.empty();
    }

    /** Director: ECU serial to the hardware id the director believes that ECU has; empty when absent. */
    public Map<String, String> ecuIdentifiers() {
        if (!custom.has(ECU_IDENTIFIERS)) {
            return Map.of();
        }
        String where = "targets." + name + ".custom.ecu_identifiers";
        JsonNode ecus = Fields.object(custom, ECU_IDENTIFIERS, "targets." + name + ".custom");
        Map<String, String> result = new TreeMap<>();
        ecus.fieldNames().forEachRemaining(serial -> {
            JsonNode ecu = Fields.object(ecus, serial, where);
            result.put(serial, Fields.text(ecu, HARDWARE_ID, where + "." + serial));
        });
        return result;
    }
}
