package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.internal.Fields;
import io.tsunagu.protocol.update.internal.Header;
import java.time.Instant;

/**
 * Snapshot metadata (TUF 4.4): the version of every targets metadata file, so that a mix of old and new targets files
 * cannot be served. Delegations are not used here, so it names only {@code targets.json}.
 */
public record SnapshotMetadata(long version, Instant expires, MetaFile targets) {
    public static SnapshotMetadata from(SignedMetadata file) {
        Header.expect(file, Role.SNAPSHOT);
        JsonNode meta = Fields.object(file.signed(), "meta", "snapshot");
        String name = Role.TARGETS.fileName();
        if (!meta.has(name)) {
            throw Fields.malformed("snapshot.meta has no " + name);
        }
        return new SnapshotMetadata(
                file.version(), file.expires(), MetaFile.fromJson(meta.get(name), "snapshot.meta." + name));
    }

    /** The {@code signed} object. */
    public ObjectNode toJson() {
        ObjectNode node = Header.of(Role.SNAPSHOT, version, expires);
        node.putObject("meta").set(Role.TARGETS.fileName(), targets.toJson());
        return node;
    }
}
