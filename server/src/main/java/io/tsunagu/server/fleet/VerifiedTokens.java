package io.tsunagu.server.fleet;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Bearer tokens that {@link ApiUsers} verified against the database recently, keyed by the token's SHA-256 (the token
 * itself is never kept), each trusted for {@link #TTL_MS} after its verification. Without it every API request ran a
 * SQL lookup of its token, a quarter of a twin read's server time.
 *
 * <p>Writes through this node ({@link #forget}) take effect at once: the entries of that user are dropped, and a
 * verification that raced with the write is not remembered (the change counter moved while it ran). Writes made
 * elsewhere (another server node, SQL by hand) take effect here within {@link #TTL_MS}. Unknown tokens are not
 * remembered, so a token created anywhere works at once. Thread-safe.
 */
final class VerifiedTokens {
    /** How long a verified token is trusted without asking the database again. */
    static final long TTL_MS = 1_000;

    /** More distinct live tokens than this empties the cache (a bound on memory, not an eviction policy). */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Principal principal, long expiresAtMs) {}

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    VerifiedTokens(Clock clock) {
        this.clock = clock;
    }

    /** The principal of a token hash verified less than {@link #TTL_MS} ago, or null. */
    @Nullable
    Principal get(String tokenHash) {
        Entry entry = byHash.get(tokenHash);
        if (entry == null) {
            return null;
        }
        if (clock.millis() >= entry.expiresAtMs()) {
            byHash.remove(tokenHash, entry);
            return null;
        }
        return entry.principal();
    }

    /** A stamp to take before reading the database, handed to {@link #remember}. */
    long stamp() {
        return changes.get();
    }

    /** Remembers a verification that began at {@code stamp}, unless a write through this node happened since. */
    void remember(String tokenHash, Principal principal, long stamp) {
        if (byHash.size() >= MAX_ENTRIES) {
            byHash.clear();
        }
        Entry entry = new Entry(principal, clock.millis() + TTL_MS);
        byHash.put(tokenHash, entry);
        if (changes.get() != stamp) {
            byHash.remove(tokenHash, entry); // a write raced with the lookup: the database may have changed since
        }
    }

    /** Forgets every verified token of {@code name}; call after its token or role changed in the database. */
    void forget(String name) {
        changes.incrementAndGet();
        byHash.values().removeIf(e -> e.principal().name().equals(name));
    }

    int size() {
        return byHash.size();
    }
}
