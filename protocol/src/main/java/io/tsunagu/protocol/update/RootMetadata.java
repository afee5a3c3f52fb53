package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.internal.Fields;
import io.tsunagu.protocol.update.internal.Header;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Root metadata (TUF 4.3): the keys of every role and their thresholds. Root is the trust anchor; a new root must be
 * signed by a threshold of the previous root's root keys and of its own.
 *
 * @param keys every key any role names, by key id
 * @param roles all four roles must be present
 */
public record RootMetadata(
        long version,
        Instant expires,
        Map<String, TufKey> keys,
        Map<Role, RoleKeys> roles,
        boolean consistentSnapshot) {
    public RootMetadata {
        keys = Map.copyOf(keys);
        roles = Map.copyOf(roles);
        for (Role role : Role.values()) {
            RoleKeys entry = roles.get(role);
            if (entry == null) {
                throw Fields.malformed("root v" + version + " has no " + role.type() + " role");
            }
            for (String id : entry.keyIds()) {
                if (!keys.containsKey(id)) {
                    throw Fields.malformed("root v" + version + " role " + role.type() + " names unknown key " + id);
                }
            }
        }
    }

    /** A root whose roles are given as the keys that sign them and a threshold; key objects are collected. */
    public static RootMetadata of(
            long version, Instant expires, Map<Role, List<TufKey>> roleKeys, Map<Role, Integer> thresholds) {
        Map<String, TufKey> keys = new TreeMap<>();
        Map<Role, RoleKeys> roles = new EnumMap<>(Role.class);
        roleKeys.forEach((role, list) -> {
            list.forEach(k -> keys.put(k.keyId(), k));
            roles.put(role, new RoleKeys(list.stream().map(TufKey::keyId).toList(), thresholds.get(role)));
        });
        return new RootMetadata(version, expires, keys, roles, false);
    }

    /** Reads root metadata; signatures are checked by the verifier, not here. */
    public static RootMetadata from(SignedMetadata file) {
        Header.expect(file, Role.ROOT);
        ObjectNode signed = file.signed();
        Map<String, TufKey> keys = new TreeMap<>();
        JsonNode keysNode = Fields.object(signed, "keys", "root");
        keysNode.fieldNames().forEachRemaining(id -> keys.put(id, TufKey.fromJson(id, keysNode.get(id))));
        JsonNode rolesNode = Fields.object(signed, "roles", "root");
        Map<Role, RoleKeys> roles = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            String where = "root.roles." + role.type();
            JsonNode entry = Fields.object(rolesNode, role.type(), "root.roles");
            List<String> ids = new ArrayList<>();
            for (JsonNode id : Fields.array(entry, "keyids", where)) {
                if (!id.isTextual()) {
                    throw Fields.malformed(where + ".keyids must hold strings");
                }
                ids.add(id.textValue());
            }
            long threshold = Fields.count(entry, "threshold", where);
            try {
                roles.put(role, new RoleKeys(ids, (int) Math.min(threshold, Integer.MAX_VALUE)));
            } catch (IllegalArgumentException e) {
                throw Fields.malformed(where + ": " + e.getMessage());
            }
        }
        boolean consistent = Fields.flag(signed, "consistent_snapshot", false, "root");
        return new RootMetadata(file.version(), file.expires(), keys, roles, consistent);
    }

    /** The {@code signed} object. */
    public ObjectNode toJson() {
        ObjectNode node = Header.of(Role.ROOT, version, expires);
        node.put("consistent_snapshot", consistentSnapshot);
        ObjectNode keysNode = node.putObject("keys");
        new TreeMap<>(keys).forEach((id, key) -> keysNode.set(id, key.toJson()));
        ObjectNode rolesNode = node.putObject("roles");
        roles.forEach((role, entry) -> {
            ObjectNode r = rolesNode.putObject(role.type());
            ArrayNode ids = r.putArray("keyids");
            entry.keyIds().forEach(ids::add);
            r.put("threshold", entry.threshold());
        });
        return node;
    }

    /** The keys authorised for {@code role}, in the order root lists them. */
    public List<TufKey> keysOf(Role role) {
        return roles.get(role).keyIds().stream().map(keys::get).toList();
    }
}
