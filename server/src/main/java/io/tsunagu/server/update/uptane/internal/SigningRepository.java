package io.tsunagu.server.update.uptane.internal;

import io.tsunagu.protocol.update.RepositorySigner;
import io.tsunagu.protocol.update.Role;
import io.tsunagu.protocol.update.RoleKeyring;
import io.tsunagu.protocol.update.RootMetadata;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.SigningKey;
import io.tsunagu.protocol.update.TargetInfo;
import io.tsunagu.protocol.update.TargetsMetadata;
import io.tsunagu.protocol.update.TufKey;
import io.tsunagu.server.update.uptane.UptaneConfig;
import io.tsunagu.server.update.uptane.UptaneException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TUF repository as the server keeps it: its keys ({@link RoleKeyFiles}), its chain of roots, and the last publish
 * of each scope ({@code ""} for the image repository, a VIN for the director), all persisted in {@link MetadataRows}.
 * Every change goes through a {@link RepositorySigner} restored from the stored state, so the version rules are the
 * library's: every publish bumps targets, snapshot and timestamp; a refresh bumps timestamp only.
 *
 * <p>Thread-safe: publishes of one scope are serialised by a striped lock, root changes by this object's monitor;
 * the stored versions are guarded in SQL as well.
 */
public final class SigningRepository {
    private static final Logger LOG = LoggerFactory.getLogger(SigningRepository.class);
    private static final int STRIPES = 64;

    /** Keys and roots, replaced as a whole when the root changes. */
    private record Keys(Map<Role, RoleKeyring> keyrings, List<SignedMetadata> roots) {
        long rootVersion() {
            return roots.getLast().version();
        }
    }

    private final String name;
    private final RoleKeyFiles keyFiles;
    private final MetadataRows rows;
    private final UptaneConfig config;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private volatile Keys keys;

    private SigningRepository(
            String name, RoleKeyFiles keyFiles, MetadataRows rows, UptaneConfig config, Clock clock, Keys keys) {
        this.name = name;
        this.keyFiles = keyFiles;
        this.rows = rows;
        this.config = config;
        this.clock = clock;
        this.keys = keys;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Opens the repository {@code name}; on first start creates its keys and root version 1. */
    public static SigningRepository open(
            String name, RoleKeyFiles keyFiles, MetadataRows rows, UptaneConfig config, Clock clock) {
        List<SignedMetadata> roots = rows.roots(name);
        if (roots.isEmpty()) {
            Map<Role, RoleKeyring> keyrings = generate(keyFiles, config);
            SignedMetadata root = RepositorySigner.create(keyrings, expiry(config, clock, Role.ROOT))
                    .root();
            rows.insertRoot(name, root, clock.instant());
            keyFiles.retainOnly(keyIds(keyrings));
            LOG.info(
                    "Uptane {} repository created: root v1 in the metadata database, keys in {}", name, keyFiles.dir());
            return new SigningRepository(name, keyFiles, rows, config, clock, new Keys(keyrings, roots(root)));
        }
        Map<Role, RoleKeyring> keyrings = keyringsOf(roots.getLast(), keyFiles);
        LOG.info(
                "Uptane {} repository opened at root v{}", name, roots.getLast().version());
        return new SigningRepository(name, keyFiles, rows, config, clock, new Keys(keyrings, List.copyOf(roots)));
    }

    public String name() {
        return name;
    }

    /** Every root, oldest first. */
    public List<SignedMetadata> roots() {
        return keys.roots();
    }

    public SignedMetadata newestRoot() {
        return keys.roots().getLast();
    }

    public Optional<SignedMetadata> root(long version) {
        List<SignedMetadata> roots = keys.roots();
        return version >= 1 && version <= roots.size() ? Optional.of(roots.get((int) version - 1)) : Optional.empty();
    }

    /** The last publish of {@code scope} as stored, without re-signing anything. */
    public Optional<RepositorySigner.Published> stored(String scope) {
        return rows.published(name, scope).map(MetadataRows.Row::published);
    }

    /** Signs {@code targets} as the scope's next targets, with new snapshot and timestamp. */
    public RepositorySigner.Published publish(String scope, Collection<TargetInfo> targets) {
        return locked(scope, () -> publishLocked(scope, targets));
    }

    /**
     * The scope's current files, re-signed first if they are missing ({@code initial} targets are published), were
     * signed under an older root, or are due; what a car is served.
     */
    public RepositorySigner.Published fresh(String scope, Supplier<Collection<TargetInfo>> initial) {
        Optional<MetadataRows.Row> row = rows.published(name, scope);
        if (row.isPresent() && !due(row.get())) {
            return row.get().published();
        }
        return locked(scope, () -> refreshLocked(scope, initial));
    }

    /** Re-signs every due scope, at most {@code limit}; returns how many were re-signed. */
    public int refreshDue(int limit) {
        refreshRootIfDue();
        List<String> scopes = rows.dueScopes(name, clock.instant(), limit);
        for (String scope : scopes) {
            locked(scope, () -> refreshLocked(scope, List::of));
        }
        return scopes.size();
    }

    /**
     * New keys for every role (thresholds from the config) and a new root signed by the old and the new root keys
     * (TUF 6.1); every scope is re-signed with the new keys when next served or refreshed. Retired key files are
     * deleted.
     */
    public synchronized SignedMetadata rotateRoot() {
        return changeRoot(generate(keyFiles, config));
    }

    private synchronized void refreshRootIfDue() {
        SignedMetadata root = newestRoot();
        if (!refreshPoint(root, Role.ROOT).isAfter(clock.instant())) {
            // Same keys, next version, new expiry: a car walks it like any rotation.
            changeRoot(keys.keyrings());
        }
    }

    private SignedMetadata changeRoot(Map<Role, RoleKeyring> next) {
        Keys current = keys;
        RepositorySigner signer = RepositorySigner.restore(current.keyrings(), current.roots(), Optional.empty());
        SignedMetadata root = signer.rotateRoot(next, expiry(config, clock, Role.ROOT));
        rows.insertRoot(name, root, clock.instant());
        List<SignedMetadata> roots = new ArrayList<>(current.roots());
        roots.add(root);
        keys = new Keys(next, List.copyOf(roots));
        keyFiles.retainOnly(keyIds(next));
        rows.markAllDue(name, clock.instant());
        LOG.info("Uptane {} repository: root v{} signed; every scope will be re-signed", name, root.version());
        return root;
    }

    private RepositorySigner.Published refreshLocked(String scope, Supplier<Collection<TargetInfo>> initial) {
        Optional<MetadataRows.Row> row = rows.published(name, scope);
        if (row.isEmpty()) {
            return publishLocked(scope, initial.get());
        }
        if (!due(row.get())) {
            return row.get().published();
        }
        RepositorySigner.Published last = row.get().published();
        Instant now = clock.instant();
        boolean timestampOnly = row.get().rootVersion() == keys.rootVersion()
                && refreshPoint(last.targets(), Role.TARGETS).isAfter(now)
                && refreshPoint(last.snapshot(), Role.SNAPSHOT).isAfter(now);
        if (!timestampOnly) {
            return publishLocked(
                    scope, TargetsMetadata.from(last.targets()).targets().values());
        }
        Keys current = keys;
        RepositorySigner signer = RepositorySigner.restore(current.keyrings(), current.roots(), Optional.of(last));
        signer.refreshTimestamp(expiry(config, clock, Role.TIMESTAMP));
        return save(scope, signer.current().orElseThrow(), current.rootVersion());
    }

    private RepositorySigner.Published publishLocked(String scope, Collection<TargetInfo> targets) {
        Keys current = keys;
        RepositorySigner signer = RepositorySigner.restore(current.keyrings(), current.roots(), stored(scope));
        RepositorySigner.Published published = signer.publish(
                targets,
                expiry(config, clock, Role.TARGETS),
                expiry(config, clock, Role.SNAPSHOT),
                expiry(config, clock, Role.TIMESTAMP));
        return save(scope, published, current.rootVersion());
    }

    private RepositorySigner.Published save(String scope, RepositorySigner.Published published, long rootVersion) {
        Instant refreshAt = min(
                refreshPoint(published.targets(), Role.TARGETS),
                refreshPoint(published.snapshot(), Role.SNAPSHOT),
                refreshPoint(published.timestamp(), Role.TIMESTAMP));
        if (!rows.save(name, scope, new MetadataRows.Row(published, rootVersion, refreshAt), clock.instant())) {
            throw new UptaneException(
                    UptaneException.Kind.UNAVAILABLE,
                    "uptane_concurrent_publish",
                    "another server node published " + name + " metadata at the same time; try again");
        }
        return published;
    }

    private boolean due(MetadataRows.Row row) {
        return row.rootVersion() < keys.rootVersion() || !row.refreshAt().isAfter(clock.instant());
    }

    /** When half of the file's lifetime is left. */
    private Instant refreshPoint(SignedMetadata file, Role role) {
        return file.expires().minus(config.lifetime(role).dividedBy(2));
    }

    private <T> T locked(String scope, Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod(scope.hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private static Instant expiry(UptaneConfig config, Clock clock, Role role) {
        // TUF expiries are whole seconds (ISO-8601 with Z); truncating keeps the refresh arithmetic exact.
        return clock.instant().plus(config.lifetime(role)).truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant min(Instant a, Instant b, Instant c) {
        Instant ab = a.isBefore(b) ? a : b;
        return ab.isBefore(c) ? ab : c;
    }

    private static Map<Role, RoleKeyring> generate(RoleKeyFiles keyFiles, UptaneConfig config) {
        Map<Role, RoleKeyring> keyrings = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            int threshold = config.threshold(role);
            keyrings.put(role, new RoleKeyring(keyFiles.generate(role, threshold), threshold));
        }
        return keyrings;
    }

    /** The private keys the newest root names, found among the key files by key id. */
    private static Map<Role, RoleKeyring> keyringsOf(SignedMetadata rootFile, RoleKeyFiles keyFiles) {
        RootMetadata root = RootMetadata.from(rootFile);
        Map<String, SigningKey> onDisk = keyFiles.load();
        Map<Role, RoleKeyring> keyrings = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            List<SigningKey> ring = new ArrayList<>();
            for (TufKey key : root.keysOf(role)) {
                SigningKey signing = onDisk.get(key.keyId());
                if (signing == null) {
                    throw new UptaneException(
                            UptaneException.Kind.UNAVAILABLE,
                            "uptane_keys_unavailable",
                            "root v" + root.version() + " names " + role.type() + " key " + key.keyId() + " but "
                                    + keyFiles.dir() + " does not hold it; restore it from the backup");
                }
                ring.add(signing);
            }
            keyrings.put(role, new RoleKeyring(ring, root.roles().get(role).threshold()));
        }
        return keyrings;
    }

    private static Set<String> keyIds(Map<Role, RoleKeyring> keyrings) {
        Set<String> ids = new HashSet<>();
        keyrings.values().forEach(ring -> ring.keys().forEach(k -> ids.add(k.keyId())));
        return ids;
    }

    private static List<SignedMetadata> roots(SignedMetadata first) {
        return List.of(first);
    }
}
