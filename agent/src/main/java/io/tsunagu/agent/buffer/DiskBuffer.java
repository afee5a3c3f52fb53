package io.tsunagu.agent.buffer;

import io.tsunagu.protocol.TsunaguException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, durable FIFO of encoded telemetry frames keyed by sequence number, stored in one H2 MVStore file.
 *
 * <p>Durability: {@link #append} calls {@link MVStore#commit()}, which writes the changes as a new chunk to the file
 * (so they survive a crash of the agent process: the data is in the operating system's page cache), and then, when
 * {@code fsync} is on, {@link MVStore#sync()}, which forces the file to the device (so they also survive a power
 * loss). MVStore is copy-on-write: a crash during a write leaves the last complete chunk readable and the store opens
 * at the last committed version. Removals are committed without a sync: losing one only re-sends frames the cloud
 * de-duplicates by (VIN, seq).
 *
 * <p>Bounded: past {@code maxFrames} the oldest frames are dropped with a WARN and counted in {@link #droppedFrames()}.
 * Sequence numbers start at 1, only ever grow, and continue across reopen. Thread-safe; writes are serialized.
 */
public final class DiskBuffer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskBuffer.class);
    private static final String NEXT_SEQ = "nextSeq";
    private static final int COMPACT_EVERY_COMMITS = 1_000;
    private static final int COMPACT_TARGET_FILL_PERCENT = 60;
    private static final int COMPACT_WRITE_BYTES = 1 << 20;

    private final MVStore store;
    private final MVMap<Long, byte[]> frames;
    private final MVMap<String, Long> meta;
    private final long maxFrames;
    private final boolean fsync;
    private long nextSeq;
    private long droppedFrames;
    private long commitsSinceCompact;

    private DiskBuffer(MVStore store, long maxFrames, boolean fsync) {
        this.store = store;
        this.frames = store.openMap("frames");
        this.meta = store.openMap("meta");
        this.maxFrames = maxFrames;
        this.fsync = fsync;
        this.nextSeq = meta.getOrDefault(NEXT_SEQ, 1L);
    }

    /**
     * Opens (or creates) the buffer file.
     *
     * @param file the MVStore file, e.g. {@code buffer/<vin>.mv.db}; parent folders are created
     * @param maxFrames how many frames the buffer holds before it drops the oldest; at least 1
     * @param fsync whether each append is forced to the device (see the class comment)
     */
    public static DiskBuffer open(Path file, long maxFrames, boolean fsync) {
        if (maxFrames < 1) {
            throw new TsunaguException("invalid_buffer_size", "maxFrames must be at least 1, got " + maxFrames, false);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            MVStore store = new MVStore.Builder()
                    .fileName(file.toString())
                    .autoCommitDisabled() // no background thread per car; we commit explicitly
                    .open();
            return new DiskBuffer(store, maxFrames, fsync);
        } catch (java.io.IOException | MVStoreException e) {
            throw new TsunaguException("buffer_open_failed", "cannot open offline buffer " + file + ": " + e, true, e);
        }
    }

    /**
     * Stores one frame durably under the next sequence number and returns that number.
     *
     * @param encoder builds the frame bytes for the sequence number it is given (the seq is part of the frame)
     */
    public synchronized long append(LongFunction<byte[]> encoder) {
        long seq = nextSeq;
        byte[] payload = encoder.apply(seq);
        frames.put(seq, payload);
        nextSeq = seq + 1;
        meta.put(NEXT_SEQ, nextSeq);
        dropOldestBeyondBound();
        commit();
        if (fsync) {
            store.sync();
        }
        return seq;
    }

    /** Up to {@code limit} frames with a sequence number above {@code afterSeq}, in sequence order. */
    public List<BufferedFrame> readAfter(long afterSeq, int limit) {
        List<BufferedFrame> out = new ArrayList<>(Math.min(limit, 64));
        if (afterSeq == Long.MAX_VALUE) {
            return out;
        }
        Cursor<Long, byte[]> cursor = frames.cursor(afterSeq + 1);
        while (out.size() < limit && cursor.hasNext()) {
            long seq = cursor.next();
            out.add(new BufferedFrame(seq, cursor.getValue()));
        }
        return out;
    }

    /** Removes acknowledged (or rejected) frames; unknown sequence numbers are ignored. */
    public synchronized void remove(Collection<Long> seqs) {
        for (Long seq : seqs) {
            frames.remove(seq);
        }
        commit();
    }

    /** How many frames wait in the buffer. */
    public long size() {
        return frames.sizeAsLong();
    }

    /**
     * How many frames wait and which sequence number comes next, read together: a concurrent {@link #append} is either
     * in both or in neither.
     *
     * @param frames frames waiting in the buffer
     * @param nextSeq the sequence number the next append will assign
     */
    public record Fill(long frames, long nextSeq) {}

    /** The buffer's {@link Fill} now. */
    public synchronized Fill fill() {
        return new Fill(frames.sizeAsLong(), nextSeq);
    }

    /** The lowest buffered sequence number, if any. */
    public OptionalLong firstSeq() {
        Long first = frames.firstKey();
        return first == null ? OptionalLong.empty() : OptionalLong.of(first);
    }

    /** The sequence number the next {@link #append} will assign. */
    public synchronized long nextSeq() {
        return nextSeq;
    }

    /** Frames dropped because the buffer was full, since this buffer was opened. */
    public synchronized long droppedFrames() {
        return droppedFrames;
    }

    private void dropOldestBeyondBound() {
        long excess = frames.sizeAsLong() - maxFrames;
        if (excess <= 0) {
            return;
        }
        for (long i = 0; i < excess; i++) {
            Long oldest = frames.firstKey();
            if (oldest == null) {
                break;
            }
            frames.remove(oldest);
            droppedFrames++;
        }
        LOG.warn(
                "offline buffer full ({} frames): dropped the {} oldest frame(s), {} dropped in total",
                maxFrames,
                excess,
                droppedFrames);
    }

    private void commit() {
        store.commit();
        if (++commitsSinceCompact >= COMPACT_EVERY_COMMITS) {
            commitsSinceCompact = 0;
            // Without MVStore's background thread nothing else rewrites sparse chunks, so the file would only grow.
            store.compact(COMPACT_TARGET_FILL_PERCENT, COMPACT_WRITE_BYTES);
        }
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }
}
