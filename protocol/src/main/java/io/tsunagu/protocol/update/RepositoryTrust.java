package io.tsunagu.protocol.update;

import io.tsunagu.protocol.update.internal.SignatureCheck;

/**
 * What the car trusts of one repository, to be persisted between update cycles: the newest verified root and the
 * highest version of each other role it has accepted (the rollback floor; TUF 5.4-5.6).
 */
public record RepositoryTrust(SignedMetadata root, long timestampVersion, long snapshotVersion, long targetsVersion) {

    /**
     * Trust from a root provisioned at manufacture (Uptane requires metadata pre-installed in the ECU). Its own
     * root keys must reach the threshold, which catches a corrupted or mis-provisioned file early.
     */
    public static RepositoryTrust initial(byte[] rootJson) {
        SignedMetadata root = SignedMetadata.parse(rootJson);
        RootMetadata parsed = RootMetadata.from(root);
        SignatureCheck.require(
                root,
                parsed.keysOf(Role.ROOT),
                parsed.roles().get(Role.ROOT).threshold(),
                "provisioned root v" + parsed.version(),
                UpdateRefusalReason.THRESHOLD_NOT_MET);
        return new RepositoryTrust(root, 0, 0, 0);
    }

    public long rootVersion() {
        return root.version();
    }
}
