package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.internal.Fields;
import io.tsunagu.protocol.update.internal.Header;
import java.time.Instant;

/** Timestamp metadata (TUF 4.6): short-lived, re-signed often, names the current snapshot. */
public record TimestampMetadata(long version, Instant expires, MetaFile snapshot) {
    public static TimestampMetadata from(SignedMetadata file) {
        Header.expect(file, Role.TIMESTAMP);
        ObjectNode meta = (ObjectNode) Fields.object(file.signed(), "meta", "timestamp");
        String name = Role.SNAPSHOT.fileName();
        if (!meta.has(name)) {
            throw Fields.malformed("timestamp.meta has no " + name);
        }
        return new TimestampMetadata(
                file.version(), file.expires(), MetaFile.fromJson(meta.get(name), "timestamp.meta." + name));
    }

    /** The {@code signed} object. */
    public ObjectNode toJson() {
        ObjectNode node = Header.of(Role.TIMESTAMP, version, expires);
        node.putObject("meta").set(Role.SNAPSHOT.fileName(), snapshot.toJson());
        return node;
    }
}
