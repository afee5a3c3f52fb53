package io.tsunagu.agent.command;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tsunagu.agent.AgentException;
import io.tsunagu.protocol.command.CommandVerifier;
import io.tsunagu.protocol.wire.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the car remembers about commands, in its own H2 MVStore file ({@code <vin>.commands.mv.db} beside the telemetry
 * buffer; a separate file because every write here is forced to the device, unlike telemetry, and so that the two
 * stores compact independently).
 *
 * <ul>
 *   <li>Executed command ids → their result (a {@code DELIVERED} result marks a command that started and has not
 *       finished). Bounded: past {@code maxRememberedIds} the oldest finished ids are forgotten. That never lets a
 *       command run twice, because the per-key counter watermark is never forgotten: a re-delivered forgotten command
 *       is refused as {@code replayed} instead of answered with its stored result.
 *   <li>The last accepted counter per key id.
 *   <li>Paired user keys (key id → base64 X.509 public key) and revoked key ids.
 *   <li>The outbox: final results not yet acknowledged by the cloud, re-published after a reconnect.
 * </ul>
 *
 * <p>Durability: every change that decides whether a command runs ({@link #begin}, {@link #finish}, pairing,
 * revocation) is committed and forced to the device ({@link MVStore#sync()}) before the method returns, so {@link
 * #begin} happens-before execution and a crash during execution leaves the id marked as started ("at most once"). An
 * acknowledgement only commits: losing it re-publishes a result, which the cloud absorbs. Thread-safe.
 */
public final class CommandStore implements AutoCloseable, CommandVerifier.ReplayState {
    /** Default number of executed command ids remembered. */
    public static final int DEFAULT_MAX_REMEMBERED_IDS = 10_000;
    /** Final results kept for re-publishing at most; beyond it the oldest unacknowledged result is dropped. */
    static final int MAX_OUTBOX = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(CommandStore.class);
    private static final String NEXT_ORDER = "nextOrder";
    private static final String NEXT_OUTBOX = "nextOutbox";
    private static final int COMPACT_EVERY_COMMITS = 500;

    private final MVStore store;
    private final MVMap<String, byte[]> results;
    private final MVMap<Long, String> order;
    private final MVMap<String, Long> inProgress;
    private final MVMap<String, Long> counters;
    private final MVMap<String, String> paired;
    private final MVMap<String, Long> revoked;
    private final MVMap<Long, byte[]> outbox;
    private final MVMap<String, Long> meta;
    private final int maxRememberedIds;
    private int commits;

    /** A final result waiting for the cloud's acknowledgement, under its outbox sequence number. */
    public record PendingResult(long seq, CommandResult result) {}

    private CommandStore(MVStore store, int maxRememberedIds) {
        this.store = store;
        this.results = store.openMap("results");
        this.order = store.openMap("order");
        this.inProgress = store.openMap("inProgress");
        this.counters = store.openMap("counters");
        this.paired = store.openMap("pairedKeys");
        this.revoked = store.openMap("revokedKeys");
        this.outbox = store.openMap("outbox");
        this.meta = store.openMap("meta");
        this.maxRememberedIds = maxRememberedIds;
    }

    /**
     * Opens (or creates) the store file; parent folders are created.
     *
     * @param maxRememberedIds executed command ids remembered, at least 1 (see the class comment)
     */
    public static CommandStore open(Path file, int maxRememberedIds) {
        if (maxRememberedIds < 1) {
            throw new AgentException(
                    "invalid_command_store", "maxRememberedIds must be at least 1, got " + maxRememberedIds, false);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            MVStore store = new MVStore.Builder()
                    .fileName(file.toString())
                    .autoCommitDisabled()
                    .open();
            return new CommandStore(store, maxRememberedIds);
        } catch (IOException | MVStoreException e) {
            throw new AgentException(
                    "command_store_open_failed", "cannot open command store " + file + ": " + e, true, e);
        }
    }

    @Override
    public synchronized long lastCounter(String keyId) {
        return counters.getOrDefault(keyId, -1L);
    }

    /** True for a command that started (finished or not) and is still remembered. */
    @Override
    public synchronized boolean executed(String commandId) {
        return results.containsKey(commandId);
    }

    /** The stored result of a remembered command: final, or {@code DELIVERED} while it runs. */
    public synchronized Optional<CommandResult> result(String commandId) {
        byte[] bytes = results.get(commandId);
        return bytes == null ? Optional.empty() : Optional.of(parse(bytes));
    }

    /**
     * Durably marks a command as started and raises the key's counter watermark; call before executing it.
     *
     * @param delivered the {@code DELIVERED} result to remember until {@link #finish}
     */
    public synchronized void begin(String keyId, long counter, CommandResult delivered) {
        String id = delivered.getCommandId();
        long seq = meta.getOrDefault(NEXT_ORDER, 1L);
        meta.put(NEXT_ORDER, seq + 1);
        order.put(seq, id);
        results.put(id, delivered.toByteArray());
        inProgress.put(id, seq);
        counters.put(keyId, counter);
        forgetOldest();
        commitDurably();
    }

    /** Durably stores a started command's final result and queues it in the outbox; returns its outbox entry. */
    public synchronized PendingResult finish(CommandResult result) {
        results.put(result.getCommandId(), result.toByteArray());
        inProgress.remove(result.getCommandId());
        return enqueueAndCommit(result);
    }

    /** Durably queues a result that belongs to no started command (a refusal) in the outbox. */
    public synchronized PendingResult enqueue(CommandResult result) {
        return enqueueAndCommit(result);
    }

    /** Ids of commands that started and did not finish: the agent stopped while they ran. */
    public synchronized List<String> interrupted() {
        return new ArrayList<>(inProgress.keySet());
    }

    /** Results not yet acknowledged, oldest first. */
    public synchronized List<PendingResult> pending() {
        List<PendingResult> out = new ArrayList<>();
        outbox.forEach((seq, bytes) -> out.add(new PendingResult(seq, parse(bytes))));
        return out;
    }

    /** The cloud acknowledged an outbox entry: remove it (committed without a sync, see the class comment). */
    public synchronized void acknowledged(long seq) {
        if (store.isClosed() || outbox.remove(seq) == null) {
            return;
        }
        commit();
    }

    /** The base64 X.509 public key paired under {@code keyId}, if any. */
    public synchronized Optional<String> pairedKey(String keyId) {
        return Optional.ofNullable(paired.get(keyId));
    }

    /** Durably trusts a user key. */
    public synchronized void pair(String keyId, String publicKeyBase64) {
        paired.put(keyId, publicKeyBase64);
        commitDurably();
    }

    /** True while at least one user key is paired and not revoked: the fleet key is then restricted. */
    public synchronized boolean hasPairedKeys() {
        return !paired.isEmpty();
    }

    public synchronized boolean revoked(String keyId) {
        return revoked.containsKey(keyId);
    }

    /** Durably stops trusting a paired key, for good. */
    public synchronized void revoke(String keyId, long revokedAtMs) {
        paired.remove(keyId);
        revoked.put(keyId, revokedAtMs);
        commitDurably();
    }

    private PendingResult enqueueAndCommit(CommandResult result) {
        long seq = meta.getOrDefault(NEXT_OUTBOX, 1L);
        meta.put(NEXT_OUTBOX, seq + 1);
        outbox.put(seq, result.toByteArray());
        while (outbox.sizeAsLong() > MAX_OUTBOX) {
            Long oldest = outbox.firstKey();
            outbox.remove(oldest);
            LOG.warn("command result outbox full ({}): dropped the oldest unacknowledged result", MAX_OUTBOX);
        }
        commitDurably();
        return new PendingResult(seq, result);
    }

    /** Forgets the oldest finished ids beyond the bound; a started, unfinished id is never forgotten. */
    private void forgetOldest() {
        var cursor = order.cursor(null);
        long excess = results.sizeAsLong() - maxRememberedIds;
        List<Long> forgotten = new ArrayList<>();
        while (excess > 0 && cursor.hasNext()) {
            long seq = cursor.next();
            String id = cursor.getValue();
            if (!inProgress.containsKey(id)) {
                results.remove(id);
                forgotten.add(seq);
                excess--;
            }
        }
        forgotten.forEach(order::remove);
    }

    private void commitDurably() {
        commit();
        store.sync();
    }

    private void commit() {
        store.commit();
        if (++commits >= COMPACT_EVERY_COMMITS) {
            commits = 0;
            store.compact(60, 1 << 20); // no background thread rewrites sparse chunks, see DiskBuffer
        }
    }

    private static CommandResult parse(byte[] bytes) {
        try {
            return CommandResult.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AgentException("command_store_corrupt", "stored command result does not parse: " + e, false, e);
        }
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }
}
