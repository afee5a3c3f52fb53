package io.tsunagu.server.ingest;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.telemetry.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread drains everything submitted since its last commit, makes it durable with a single
 * call to the sink (one fsync), then completes every waiting future. While one commit is on disk the next batch
 * gathers, so throughput grows with load instead of being capped at the disk's fsync rate (≈ 8 k/s here).
 *
 * <p>Threading: {@link #submit} from any thread; the sink is called only from the writer thread, in submission order,
 * so per-car order is preserved.
 */
public final class DurableWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableWriter.class);

    private record Pending(List<Sample> samples, CompletableFuture<Void> done, long queuedAtNanos) {}

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<Sample>> durableSink;
    private final Consumer<List<Sample>> afterCommit;
    private final int maxBatchSamples;
    private final Thread thread;
    private final LongAdder commits = new LongAdder();
    private volatile boolean running = true;

    /**
     * @param durableSink returns only when the samples are durable (e.g. {@code SampleStore::appendDurably})
     * @param afterCommit called on the writer thread with each committed batch, in commit order, before the
     *     submitters' futures complete (the fan-out to the twin and other consumers)
     * @param maxBatchSamples soft cap on samples per commit
     */
    public DurableWriter(Consumer<List<Sample>> durableSink, Consumer<List<Sample>> afterCommit, int maxBatchSamples) {
        this.durableSink = durableSink;
        this.afterCommit = afterCommit;
        this.maxBatchSamples = maxBatchSamples;
        this.thread =
                Thread.ofPlatform().name("tsunagu-durable-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Queues samples; the future completes once they are durable, or fails if the write failed. */
    public CompletableFuture<Void> submit(List<Sample> samples) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new TsunaguException("shutting_down", "server is shutting down", true));
            return done;
        }
        queue.add(new Pending(samples, done, System.nanoTime()));
        return done;
    }

    /** Number of commits (fsyncs) so far. */
    public long commits() {
        return commits.sum();
    }

    /** Entries waiting for the next commit. */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                samples.addAll(first.samples());
                while (samples.size() < maxBatchSamples) {
                    Pending next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    samples.addAll(next.samples());
                }
                commit(batch, samples);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
                samples.clear();
            }
        }
    }

    private void commit(List<Pending> batch, List<Sample> samples) {
        GroupCommitEvent event = new GroupCommitEvent();
        event.begin();
        long startedAt = System.nanoTime();
        List<Sample> committed = List.copyOf(samples);
        try {
            if (!committed.isEmpty()) {
                durableSink.accept(committed);
            }
            commits.increment();
        } catch (RuntimeException e) {
            LOG.error(
                    "durable write of {} samples failed; {} messages will not be acknowledged",
                    committed.size(),
                    batch.size(),
                    e);
            CompletionBatch.completeAll(() -> batch.forEach(p -> p.done().completeExceptionally(e)));
            return;
        }
        long durableAt = System.nanoTime();
        try {
            afterCommit.accept(committed);
        } catch (RuntimeException e) {
            // The data is durable and will be rebuilt into consumers at restart; acknowledge it.
            LOG.error("fan-out of {} committed samples failed", committed.size(), e);
        }
        long fannedOutAt = System.nanoTime();
        CompletionBatch.completeAll(() -> batch.forEach(p -> p.done().complete(null)));
        record(event, batch, committed.size(), new Timing(startedAt, durableAt, fannedOutAt));
    }

    /** Phases of one commit, in {@link System#nanoTime()}. */
    private record Timing(long startedAt, long durableAt, long fannedOutAt) {}

    private static void record(GroupCommitEvent event, List<Pending> batch, int samples, Timing timing) {
        event.end();
        if (event.shouldCommit()) {
            event.messages = batch.size();
            event.samples = samples;
            event.durableNanos = timing.durableAt() - timing.startedAt();
            event.fanOutNanos = timing.fannedOutAt() - timing.durableAt();
            event.oldestQueuedNanos = timing.fannedOutAt() - batch.getFirst().queuedAtNanos();
            event.commit();
        }
    }

    /** Commits what is queued, then stops the writer thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
