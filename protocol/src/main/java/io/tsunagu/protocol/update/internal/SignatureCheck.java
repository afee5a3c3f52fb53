package io.tsunagu.protocol.update.internal;

import io.tsunagu.protocol.update.MetadataSignature;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.TufKey;
import io.tsunagu.protocol.update.UpdateRefusalReason;
import io.tsunagu.protocol.update.UpdateRefusedException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The TUF threshold rule: count distinct authorised keys whose signature over the canonical {@code signed} verifies.
 * Signatures by keys the role does not list are ignored; several signatures by one key count once; keys are told
 * apart by their public key bytes, not only by id, so one key can never count twice.
 */
public final class SignatureCheck {
    private SignatureCheck() {}

    /**
     * Throws unless at least {@code threshold} distinct keys of {@code keys} signed. The reason is
     * {@link UpdateRefusalReason#BAD_SIGNATURE} when an authorised key's signature failed (tampering), otherwise
     * {@code shortReason}.
     */
    public static void require(
            SignedMetadata file, List<TufKey> keys, int threshold, String what, UpdateRefusalReason shortReason) {
        Map<String, TufKey> byId = keys.stream().collect(Collectors.toMap(TufKey::keyId, Function.identity()));
        byte[] data = file.canonicalSigned();
        Set<String> validKeys = new HashSet<>();
        boolean badSignature = false;
        for (MetadataSignature signature : file.signatures()) {
            TufKey key = byId.get(signature.keyId());
            if (key == null) {
                continue;
            }
            String material = Base64.getEncoder().encodeToString(key.publicKey().getEncoded());
            if (validKeys.contains(material)) {
                continue;
            }
            if (key.verifies(data, signature.bytes())) {
                validKeys.add(material);
            } else {
                badSignature = true;
            }
        }
        if (validKeys.size() < threshold) {
            UpdateRefusalReason reason = badSignature ? UpdateRefusalReason.BAD_SIGNATURE : shortReason;
            throw new UpdateRefusedException(
                    reason,
                    what + ": " + validKeys.size() + " valid signature(s) from distinct authorised keys, threshold "
                            + threshold + (badSignature ? "; a signature by an authorised key does not verify" : ""));
        }
    }
}
