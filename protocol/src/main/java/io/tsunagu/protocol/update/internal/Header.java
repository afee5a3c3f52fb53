package io.tsunagu.protocol.update.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.CanonicalJson;
import io.tsunagu.protocol.update.Role;
import io.tsunagu.protocol.update.SignedMetadata;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The fields every role's {@code signed} starts with. */
public final class Header {
    private Header() {}

    public static ObjectNode of(Role role, long version, Instant expires) {
        ObjectNode node = CanonicalJson.object();
        node.put("_type", role.type());
        node.put("spec_version", SignedMetadata.SPEC_VERSION);
        node.put("version", version);
        // TUF writes whole seconds with a Z suffix.
        node.put("expires", expires.truncatedTo(ChronoUnit.SECONDS).toString());
        return node;
    }

    public static void expect(SignedMetadata file, Role role) {
        if (file.role() != role) {
            throw Fields.malformed(
                    "expected " + role.type() + " metadata, got " + file.role().type());
        }
    }
}
