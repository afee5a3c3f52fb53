package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.internal.Fields;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A {@code meta} entry: timestamp's description of {@code snapshot.json} and snapshot's of {@code targets.json}.
 * Length and hashes are optional in TUF 1.0; when present the verifier enforces them.
 *
 * @param hashes algorithm (e.g. {@code sha256}) to lower-case hex
 */
public record MetaFile(long version, OptionalLong lengthBytes, Map<String, String> hashes) {
    public MetaFile {
        hashes = Map.copyOf(hashes);
    }

    /** Just the version (what snapshot usually says about targets). */
    public static MetaFile ofVersion(long version) {
        return new MetaFile(version, OptionalLong.empty(), Map.of());
    }

    /** Version, length and SHA-256 of a metadata file's bytes. */
    public static MetaFile describing(SignedMetadata file) {
        byte[] bytes = file.toJsonBytes();
        return new MetaFile(file.version(), OptionalLong.of(bytes.length), Map.of("sha256", Hashes.sha256Hex(bytes)));
    }

    static MetaFile fromJson(JsonNode node, String where) {
        if (!node.isObject()) {
            throw Fields.malformed(where + " must be an object");
        }
        long version = Fields.count(node, "version", where);
        OptionalLong length =
                node.has("length") ? OptionalLong.of(Fields.count(node, "length", where)) : OptionalLong.empty();
        Map<String, String> hashes = node.has("hashes") ? Hashes.fromJson(node.get("hashes"), where) : Map.of();
        return new MetaFile(version, length, hashes);
    }

    ObjectNode toJson() {
        ObjectNode node = CanonicalJson.object();
        node.put("version", version);
        lengthBytes.ifPresent(length -> node.put("length", length));
        if (!hashes.isEmpty()) {
            ObjectNode h = node.putObject("hashes");
            new TreeMap<>(hashes).forEach(h::put);
        }
        return node;
    }
}
