package io.tsunagu.protocol.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.internal.Fields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One TUF metadata file: {@code {"signed": {...}, "signatures": [{"keyid", "sig"}]}}. Signatures cover the canonical
 * JSON of {@code signed} (see {@link CanonicalJson}); unknown fields inside {@code signed} are kept and covered.
 *
 * <p>Immutable: {@code signed} is copied in and out.
 */
public final class SignedMetadata {
    /** The TUF specification version this code writes; any 1.x is read. */
    public static final String SPEC_VERSION = "1.0.31";

    private static final String SPEC_MAJOR = "1.";

    private final ObjectNode signed;
    private final List<MetadataSignature> signatures;
    private final Role role;

    private SignedMetadata(ObjectNode signed, List<MetadataSignature> signatures) {
        this.signed = signed.deepCopy();
        this.signatures = List.copyOf(signatures);
        this.role = readRole(this.signed);
        // Fail early on a file without the common fields, whatever its role.
        version();
        expires();
        String spec = Fields.text(this.signed, "spec_version", "signed");
        if (!spec.startsWith(SPEC_MAJOR)) {
            throw Fields.malformed("signed.spec_version " + spec + " is not a TUF 1.x version this car reads");
        }
    }

    /** Signs {@code signed} with each key (in order, duplicates by key id skipped). */
    public static SignedMetadata sign(ObjectNode signed, Collection<SigningKey> keys) {
        byte[] canonical = CanonicalJson.encode(signed);
        Set<String> seen = new HashSet<>();
        List<MetadataSignature> signatures = new ArrayList<>();
        for (SigningKey key : keys) {
            if (seen.add(key.keyId())) {
                signatures.add(key.sign(canonical));
            }
        }
        return new SignedMetadata(signed, signatures);
    }

    /** Parses a metadata file (strictly, see {@link CanonicalJson#parse}); does not check signatures. */
    public static SignedMetadata parse(byte[] json) {
        JsonNode root = CanonicalJson.parse(json);
        if (!root.isObject()) {
            throw Fields.malformed("metadata must be a JSON object");
        }
        JsonNode signed = Fields.object(root, "signed", "metadata");
        List<MetadataSignature> signatures = new ArrayList<>();
        for (JsonNode entry : Fields.array(root, "signatures", "metadata")) {
            if (!entry.isObject()) {
                throw Fields.malformed("metadata.signatures entries must be objects");
            }
            signatures.add(new MetadataSignature(
                    Fields.text(entry, "keyid", "signatures[]"), Fields.text(entry, "sig", "signatures[]")));
        }
        return new SignedMetadata((ObjectNode) signed, signatures);
    }

    /** The same {@code signed} with one more signature, e.g. from an offline key holder. */
    public SignedMetadata withSignature(MetadataSignature signature) {
        List<MetadataSignature> more = new ArrayList<>(signatures);
        more.add(signature);
        return new SignedMetadata(signed, more);
    }

    /** The bytes the signatures cover. */
    public byte[] canonicalSigned() {
        return CanonicalJson.encode(signed);
    }

    /** The whole file as {@link CanonicalJson#encodeFile} writes it: what the server stores and serves. */
    public byte[] toJsonBytes() {
        ObjectNode file = CanonicalJson.object();
        file.set("signed", signed.deepCopy());
        ArrayNode array = file.putArray("signatures");
        signatures.forEach(s -> array.addObject().put("keyid", s.keyId()).put("sig", s.sig()));
        return CanonicalJson.encodeFile(file);
    }

    /** A copy of {@code signed}. */
    public ObjectNode signed() {
        return signed.deepCopy();
    }

    public List<MetadataSignature> signatures() {
        return signatures;
    }

    public Role role() {
        return role;
    }

    public long version() {
        return Fields.count(signed, "version", "signed");
    }

    public Instant expires() {
        return Fields.instant(signed, "expires", "signed");
    }

    private static Role readRole(JsonNode signed) {
        String type = Fields.text(signed, "_type", "signed");
        for (Role role : Role.values()) {
            if (role.type().equals(type)) {
                return role;
            }
        }
        throw Fields.malformed("signed._type '" + type + "' is not root, targets, snapshot or timestamp");
    }

    /** Equal when the whole files are byte-identical in canonical form. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SignedMetadata that && Arrays.equals(toJsonBytes(), that.toJsonBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toJsonBytes());
    }

    @Override
    public String toString() {
        return "SignedMetadata[" + role.type() + " v" + version() + ", " + signatures.size() + " signatures]";
    }
}
