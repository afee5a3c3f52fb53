package io.tsunagu.protocol.update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The signing side of one TUF repository (the image repository, or the director's repository for one car): keys per
 * role, the chain of roots, the current targets, snapshot and timestamp. Every publish bumps the versions; root
 * rotation signs the new root with the old and the new root keys (TUF 6.1).
 *
 * <p>This holds private keys of every role, which suits online roles and tests. For offline roles (root, image
 * targets) build the {@code signed} object with {@link RootMetadata#toJson()} or {@link TargetsMetadata#toJson()},
 * sign its canonical bytes where the key lives and assemble with {@link SignedMetadata#withSignature}.
 *
 * <p>Not thread-safe: one writer per repository.
 */
public final class RepositorySigner {

    /** The three files one publish produces. */
    public record Published(SignedMetadata targets, SignedMetadata snapshot, SignedMetadata timestamp) {}

    private Map<Role, RoleKeyring> keyrings;
    private final List<SignedMetadata> roots = new ArrayList<>();
    private Optional<Published> current = Optional.empty();

    private RepositorySigner(Map<Role, RoleKeyring> keyrings) {
        this.keyrings = copy(keyrings);
    }

    /** A new repository with root version 1, self-signed by its root keys. */
    public static RepositorySigner create(Map<Role, RoleKeyring> keyrings, Instant rootExpires) {
        RepositorySigner signer = new RepositorySigner(keyrings);
        signer.roots.add(SignedMetadata.sign(
                signer.rootFor(1, rootExpires, signer.keyrings).toJson(), signer.rootKeys()));
        return signer;
    }

    /**
     * A repository as it was persisted: its keys, every root so far (oldest first, versions 1, 2, ...) and the last
     * publish, if any. The keyrings must be the ones the newest root names, so that later files verify.
     */
    public static RepositorySigner restore(
            Map<Role, RoleKeyring> keyrings, List<SignedMetadata> roots, Optional<Published> current) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a repository has at least root version 1");
        }
        RepositorySigner signer = new RepositorySigner(keyrings);
        for (int i = 0; i < roots.size(); i++) {
            if (roots.get(i).role() != Role.ROOT || roots.get(i).version() != i + 1) {
                throw new IllegalArgumentException("roots must be root versions 1.." + roots.size() + " in order");
            }
        }
        RootMetadata newest = RootMetadata.from(roots.get(roots.size() - 1));
        signer.keyrings.forEach((role, ring) -> {
            Set<String> ids =
                    new HashSet<>(ring.publicKeys().stream().map(TufKey::keyId).toList());
            if (!ids.equals(new HashSet<>(newest.roles().get(role).keyIds()))) {
                throw new IllegalArgumentException(
                        "the " + role.type() + " keys are not the ones root v" + newest.version() + " names");
            }
        });
        signer.roots.addAll(roots);
        signer.current = current;
        return signer;
    }

    /** The newest root. */
    public SignedMetadata root() {
        return roots.get(roots.size() - 1);
    }

    /** Roots newer than {@code trustedVersion}, oldest first: what a client walks to catch up (TUF 5.3). */
    public List<SignedMetadata> rootsAfter(long trustedVersion) {
        return roots.stream().filter(r -> r.version() > trustedVersion).toList();
    }

    /** The last publish, if any. */
    public Optional<Published> current() {
        return current;
    }

    /**
     * Signs new targets, snapshot and timestamp, each one version above the last. Snapshot records the targets
     * file's length and SHA-256, timestamp the snapshot's, so a client can check bytes before parsing them.
     */
    public Published publish(
            Collection<TargetInfo> targets, Instant targetsExpires, Instant snapshotExpires, Instant timestampExpires) {
        long targetsVersion = current.map(p -> p.targets().version() + 1).orElse(1L);
        long snapshotVersion = current.map(p -> p.snapshot().version() + 1).orElse(1L);
        SignedMetadata targetsFile = SignedMetadata.sign(
                TargetsMetadata.of(targetsVersion, targetsExpires, targets).toJson(), keys(Role.TARGETS));
        SignedMetadata snapshotFile = SignedMetadata.sign(
                new SnapshotMetadata(snapshotVersion, snapshotExpires, MetaFile.describing(targetsFile)).toJson(),
                keys(Role.SNAPSHOT));
        Published published = new Published(targetsFile, snapshotFile, timestampFor(snapshotFile, timestampExpires));
        current = Optional.of(published);
        return published;
    }

    /** Re-signs timestamp only (same snapshot, next version, new expiry), as the server does periodically. */
    public SignedMetadata refreshTimestamp(Instant expires) {
        Published last = current.orElseThrow(() -> new IllegalStateException("nothing published yet"));
        Published refreshed = new Published(last.targets(), last.snapshot(), timestampFor(last.snapshot(), expires));
        current = Optional.of(refreshed);
        return refreshed.timestamp();
    }

    /**
     * Rotates keys: a new root, one version up, signed by every old root key and every new root key (so both
     * thresholds are met). Later publishes sign with the new keyrings.
     */
    public SignedMetadata rotateRoot(Map<Role, RoleKeyring> newKeyrings, Instant expires) {
        Map<Role, RoleKeyring> next = copy(newKeyrings);
        Set<SigningKey> signers = new LinkedHashSet<>(rootKeys());
        signers.addAll(next.get(Role.ROOT).keys());
        SignedMetadata root =
                SignedMetadata.sign(rootFor(root().version() + 1, expires, next).toJson(), signers);
        roots.add(root);
        keyrings = next;
        return root;
    }

    private SignedMetadata timestampFor(SignedMetadata snapshotFile, Instant expires) {
        long version = current.map(p -> p.timestamp().version() + 1).orElse(1L);
        return SignedMetadata.sign(
                new TimestampMetadata(version, expires, MetaFile.describing(snapshotFile)).toJson(),
                keys(Role.TIMESTAMP));
    }

    private RootMetadata rootFor(long version, Instant expires, Map<Role, RoleKeyring> rings) {
        Map<Role, List<TufKey>> roleKeys = new EnumMap<>(Role.class);
        Map<Role, Integer> thresholds = new EnumMap<>(Role.class);
        rings.forEach((role, ring) -> {
            roleKeys.put(role, ring.publicKeys());
            thresholds.put(role, ring.threshold());
        });
        return RootMetadata.of(version, expires, roleKeys, thresholds);
    }

    private List<SigningKey> rootKeys() {
        return keys(Role.ROOT);
    }

    private List<SigningKey> keys(Role role) {
        return keyrings.get(role).keys();
    }

    private static Map<Role, RoleKeyring> copy(Map<Role, RoleKeyring> keyrings) {
        for (Role role : Role.values()) {
            if (!keyrings.containsKey(role)) {
                throw new IllegalArgumentException("no keyring for role " + role.type());
            }
        }
        return Map.copyOf(new EnumMap<>(keyrings));
    }
}
