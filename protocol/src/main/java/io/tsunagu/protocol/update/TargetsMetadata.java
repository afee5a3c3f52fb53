package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.internal.Fields;
import io.tsunagu.protocol.update.internal.Header;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Targets metadata (TUF 4.5): the images a repository vouches for, by name. Delegations are not used. */
public record TargetsMetadata(long version, Instant expires, Map<String, TargetInfo> targets) {
    public TargetsMetadata {
        targets = Map.copyOf(targets);
        targets.forEach((name, info) -> {
            if (!name.equals(info.name())) {
                throw new IllegalArgumentException("target listed as " + name + " is named " + info.name());
            }
        });
    }

    /** Builds from a list of targets keyed by their names. */
    public static TargetsMetadata of(long version, Instant expires, Iterable<TargetInfo> targets) {
        Map<String, TargetInfo> byName = new TreeMap<>();
        targets.forEach(t -> byName.put(t.name(), t));
        return new TargetsMetadata(version, expires, byName);
    }

    public static TargetsMetadata from(SignedMetadata file) {
        Header.expect(file, Role.TARGETS);
        JsonNode node = Fields.object(file.signed(), "targets", "targets");
        Map<String, TargetInfo> targets = new TreeMap<>();
        node.fieldNames().forEachRemaining(name -> targets.put(name, TargetInfo.fromJson(name, node.get(name))));
        return new TargetsMetadata(file.version(), file.expires(), targets);
    }

    /** The {@code signed} object. */
    public ObjectNode toJson() {
        ObjectNode node = Header.of(Role.TARGETS, version, expires);
        ObjectNode t = node.putObject("targets");
        new TreeMap<>(targets).forEach((name, info) -> t.set(name, info.toJson()));
        return node;
    }
}
