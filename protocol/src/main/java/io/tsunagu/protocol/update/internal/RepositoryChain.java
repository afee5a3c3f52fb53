package io.tsunagu.protocol.update.internal;

import io.tsunagu.protocol.update.FetchedMetadata;
import io.tsunagu.protocol.update.Hashes;
import io.tsunagu.protocol.update.MetaFile;
import io.tsunagu.protocol.update.RepositoryTrust;
import io.tsunagu.protocol.update.Role;
import io.tsunagu.protocol.update.RootMetadata;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.SnapshotMetadata;
import io.tsunagu.protocol.update.TargetsMetadata;
import io.tsunagu.protocol.update.TimestampMetadata;
import io.tsunagu.protocol.update.UpdateRefusalReason;
import io.tsunagu.protocol.update.UpdateRefusedException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TUF client workflow (specification 1.0, section 5) for one repository, top-level roles only: root chain,
 * timestamp, snapshot, targets. Stateless apart from its parameters; one instance per check.
 */
public final class RepositoryChain {

    /** The verified targets and the trust to persist. */
    public record Result(RepositoryTrust trust, TargetsMetadata targets) {}

    private final String repo;
    private final Instant now;
    private final int maxRootRotations;
    private final long maxMetadataBytes;

    public RepositoryChain(String repo, Instant now, int maxRootRotations, long maxMetadataBytes) {
        this.repo = repo;
        this.now = now;
        this.maxRootRotations = maxRootRotations;
        this.maxMetadataBytes = maxMetadataBytes;
    }

    public Result verify(RepositoryTrust trusted, FetchedMetadata fetched) {
        RootMetadata oldRoot = RootMetadata.from(trusted.root());
        SignedMetadata rootFile = updateRoot(trusted.root(), fetched.newRoots());
        RootMetadata root = RootMetadata.from(rootFile);
        // TUF 5.3.10: only the final root must be unexpired; intermediate ones may have expired long ago.
        notExpired(root.expires(), "root v" + root.version());
        long timestampFloor = trusted.timestampVersion();
        long snapshotFloor = trusted.snapshotVersion();
        if (rotated(oldRoot, root, Role.TIMESTAMP) || rotated(oldRoot, root, Role.SNAPSHOT)) {
            // TUF 5.3.11: forget fast-forwarded versions signed by keys that have now been replaced.
            timestampFloor = 0;
            snapshotFloor = 0;
        }
        TimestampMetadata timestamp = timestamp(fetched.timestamp(), root, timestampFloor, snapshotFloor);
        SnapshotMetadata snapshot = snapshot(fetched.snapshot(), root, timestamp, trusted.targetsVersion());
        TargetsMetadata targets = targets(fetched.targets(), root, snapshot);
        return new Result(
                new RepositoryTrust(rootFile, timestamp.version(), snapshot.version(), targets.version()), targets);
    }

    private SignedMetadata updateRoot(SignedMetadata trusted, List<byte[]> newRoots) {
        if (newRoots.size() > maxRootRotations) {
            throw refuse(
                    UpdateRefusalReason.INVALID_ROOT_ROTATION,
                    newRoots.size() + " new roots exceed the limit of " + maxRootRotations + " per update");
        }
        SignedMetadata current = trusted;
        RootMetadata currentRoot = RootMetadata.from(current);
        for (byte[] bytes : newRoots) {
            SignedMetadata next = load(bytes, Role.ROOT, Optional.empty());
            String what = repo + " root v" + next.version();
            // TUF 5.3.4: a threshold of the trusted root's root keys, then of the new root's own root keys.
            SignatureCheck.require(
                    next,
                    currentRoot.keysOf(Role.ROOT),
                    currentRoot.roles().get(Role.ROOT).threshold(),
                    what + " (keys of trusted root v" + currentRoot.version() + ")",
                    UpdateRefusalReason.INVALID_ROOT_ROTATION);
            RootMetadata nextRoot = RootMetadata.from(next);
            SignatureCheck.require(
                    next,
                    nextRoot.keysOf(Role.ROOT),
                    nextRoot.roles().get(Role.ROOT).threshold(),
                    what + " (its own keys)",
                    UpdateRefusalReason.INVALID_ROOT_ROTATION);
            checkRootVersion(currentRoot.version(), nextRoot.version());
            current = next;
            currentRoot = nextRoot;
        }
        return current;
    }

    private void checkRootVersion(long trusted, long next) {
        if (next <= trusted) {
            throw refuse(
                    UpdateRefusalReason.ROLLBACK_METADATA,
                    repo + " root v" + next + " is not newer than trusted root v" + trusted);
        }
        if (next != trusted + 1) {
            throw refuse(
                    UpdateRefusalReason.INVALID_ROOT_ROTATION,
                    repo + " root v" + next + " skips versions after trusted root v" + trusted + " (TUF 5.3.5)");
        }
    }

    private TimestampMetadata timestamp(byte[] bytes, RootMetadata root, long floor, long snapshotFloor) {
        SignedMetadata file = load(bytes, Role.TIMESTAMP, Optional.empty());
        requireRole(file, root, Role.TIMESTAMP);
        TimestampMetadata timestamp = TimestampMetadata.from(file);
        notRolledBack(timestamp.version(), floor, "timestamp");
        notRolledBack(timestamp.snapshot().version(), snapshotFloor, "snapshot named by timestamp");
        notExpired(timestamp.expires(), "timestamp v" + timestamp.version());
        return timestamp;
    }

    private SnapshotMetadata snapshot(byte[] bytes, RootMetadata root, TimestampMetadata timestamp, long targetsFloor) {
        SignedMetadata file = load(bytes, Role.SNAPSHOT, Optional.of(timestamp.snapshot()));
        requireRole(file, root, Role.SNAPSHOT);
        SnapshotMetadata snapshot = SnapshotMetadata.from(file);
        consistent(snapshot.version(), timestamp.snapshot().version(), "snapshot", "timestamp");
        notRolledBack(snapshot.targets().version(), targetsFloor, "targets named by snapshot");
        notExpired(snapshot.expires(), "snapshot v" + snapshot.version());
        return snapshot;
    }

    private TargetsMetadata targets(byte[] bytes, RootMetadata root, SnapshotMetadata snapshot) {
        SignedMetadata file = load(bytes, Role.TARGETS, Optional.of(snapshot.targets()));
        requireRole(file, root, Role.TARGETS);
        TargetsMetadata targets = TargetsMetadata.from(file);
        consistent(targets.version(), snapshot.targets().version(), "targets", "snapshot");
        notExpired(targets.expires(), "targets v" + targets.version());
        return targets;
    }

    /** Size and hash checks on the raw bytes come first: nothing unbounded or unvouched-for reaches the parser. */
    private SignedMetadata load(byte[] bytes, Role role, Optional<MetaFile> expected) {
        String what = repo + " " + role.type();
        long limit = maxMetadataBytes;
        if (expected.isPresent() && expected.get().lengthBytes().isPresent()) {
            limit = Math.min(limit, expected.get().lengthBytes().getAsLong());
        }
        if (bytes.length > limit) {
            throw refuse(
                    UpdateRefusalReason.ENDLESS_DATA,
                    what + " is " + bytes.length + " bytes, more than the " + limit + " allowed");
        }
        expected.ifPresent(meta -> checkHashes(bytes, meta.hashes(), what));
        SignedMetadata file = SignedMetadata.parse(bytes);
        Header.expect(file, role);
        return file;
    }

    private void checkHashes(byte[] bytes, Map<String, String> hashes, String what) {
        if (hashes.isEmpty()) {
            return;
        }
        String expected = hashes.get(Hashes.SHA256);
        if (expected == null) {
            throw Fields.malformed(what + " is described without a sha256 hash: " + new HashSet<>(hashes.keySet()));
        }
        String actual = Hashes.sha256Hex(bytes);
        if (!actual.equals(expected)) {
            throw refuse(UpdateRefusalReason.HASH_MISMATCH, what + " has sha256 " + actual + ", expected " + expected);
        }
    }

    private void requireRole(SignedMetadata file, RootMetadata root, Role role) {
        SignatureCheck.require(
                file,
                root.keysOf(role),
                root.roles().get(role).threshold(),
                repo + " " + role.type() + " v" + file.version(),
                UpdateRefusalReason.THRESHOLD_NOT_MET);
    }

    private void notRolledBack(long version, long floor, String what) {
        if (version < floor) {
            throw refuse(
                    UpdateRefusalReason.ROLLBACK_METADATA,
                    repo + " " + what + " v" + version + " is older than trusted v" + floor);
        }
    }

    private void consistent(long version, long named, String what, String parent) {
        if (version != named) {
            throw refuse(
                    UpdateRefusalReason.INCONSISTENT_METADATA,
                    repo + " " + what + " is v" + version + " but " + parent + " names v" + named);
        }
    }

    private void notExpired(Instant expires, String what) {
        if (!expires.isAfter(now)) {
            throw refuse(
                    UpdateRefusalReason.EXPIRED_METADATA,
                    repo + " " + what + " expired at " + expires + " (now " + now + ")");
        }
    }

    private static boolean rotated(RootMetadata before, RootMetadata after, Role role) {
        return !new HashSet<>(before.roles().get(role).keyIds())
                .equals(new HashSet<>(after.roles().get(role).keyIds()));
    }

    private static UpdateRefusedException refuse(UpdateRefusalReason reason, String message) {
        return new UpdateRefusedException(reason, message);
    }
}
