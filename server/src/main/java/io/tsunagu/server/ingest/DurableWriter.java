package io.tsunagu.server.ingest;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.telemetry.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread drains everything submitted since its last commit, makes it durable with a single
 * call to the sink (one fsync), then completes every waiting future. While one commit is on disk the next batch
 * gathers, so throughput grows with load instead of being capped at the disk's fsync rate (≈ 8 k/s here). With a
 * {@code minCommitInterval} commits start at most that often: under a steady load a commit then carries everything that
 * arrived in the interval instead of whatever arrived during the previous, short, commit.
 *
 * <p>Threading: {@link #submit} from any thread; the sink is called only from the writer thread, in submission order,
 * so per-car order is preserved.
 */
public final class DurableWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableWriter.class);

    /**
     * JVM switch for the least time between the starts of two commits, in ms ({@code
     * -Dtsunagu.ingest.min-commit-interval-ms=5}); 0, the default, commits as soon as the previous commit is done.
     * Every commit costs about a dozen fsync/msync calls whatever its size (each WAL column file, the event file, the
     * sequencer's log), so where commits are short a small interval bounds their rate; on the shared 2-core machine
     * commits took ≈ 30 ms and the interval did not change the CPU per message, so it is off until measured where it
     * matters (docs/architecture.md, "Durable commit cost").
     */
    static final String MIN_COMMIT_INTERVAL_PROPERTY = "tsunagu.ingest.min-commit-interval-ms";

    private record Pending(List<Sample> samples, CompletableFuture<Void> done, long queuedAtNanos) {}

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<Sample>> durableSink;
    private final Consumer<List<Sample>> afterCommit;
    private final int maxBatchSamples;
    private final long minCommitIntervalNanos;
    private final Thread thread;
    private final LongAdder commits = new LongAdder();
    /** Samples submitted and not yet taken into a commit; counted only with a commit interval. */
    private final AtomicLong uncommittedSamples = new AtomicLong();

    private volatile boolean running = true;

    /**
     * As {@link #DurableWriter(Consumer, Consumer, int, Duration)} with the least commit interval of the JVM switch
     * {@value #MIN_COMMIT_INTERVAL_PROPERTY} (default 0: none).
     */
    public DurableWriter(Consumer<List<Sample>> durableSink, Consumer<List<Sample>> afterCommit, int maxBatchSamples) {
        this(
                durableSink,
                afterCommit,
                maxBatchSamples,
                Duration.ofMillis(Long.getLong(MIN_COMMIT_INTERVAL_PROPERTY, 0)));
    }

    /**
     * @param durableSink returns only when the samples are durable (e.g. {@code SampleStore::appendDurably})
     * @param afterCommit called on the writer thread with each committed batch, in commit order, before the
     *     submitters' futures complete (the fan-out to the twin and other consumers)
     * @param maxBatchSamples soft cap on samples per commit
     * @param minCommitInterval least time between the starts of two commits: a commit that would start sooner waits
     *     and takes what arrives meanwhile, unless the batch is full ({@link Duration#ZERO}: commit as soon as the
     *     previous one is done)
     */
    public DurableWriter(
            Consumer<List<Sample>> durableSink,
            Consumer<List<Sample>> afterCommit,
            int maxBatchSamples,
            Duration minCommitInterval) {
        this.durableSink = durableSink;
        this.afterCommit = afterCommit;
        this.maxBatchSamples = maxBatchSamples;
        this.minCommitIntervalNanos = minCommitInterval.toNanos();
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
        if (minCommitIntervalNanos > 0 && uncommittedSamples.addAndGet(samples.size()) >= maxBatchSamples) {
            LockSupport.unpark(thread); // a full batch does not wait out the interval
        }
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
        long lastCommitStart = System.nanoTime() - minCommitIntervalNanos;
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                samples.addAll(first.samples());
                gather(batch, samples, lastCommitStart + minCommitIntervalNanos);
                lastCommitStart = System.nanoTime();
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

    /**
     * Adds what is queued to the batch, waiting for more until {@code notBeforeNanos} (the earliest start of the next
     * commit) unless the batch is full. An idle writer is past that point and commits at once. While it waits the
     * writer sleeps instead of taking each message as it arrives: a wake-up per message would cost more than the
     * commits the interval saves; a submit that fills the batch, and close, wake it.
     */
    private void gather(List<Pending> batch, List<Sample> samples, long notBeforeNanos) {
        takeQueued(batch, samples);
        long waitNanos = notBeforeNanos - System.nanoTime();
        while (samples.size() < maxBatchSamples && running && waitNanos > 0) {
            LockSupport.parkNanos(this, waitNanos);
            takeQueued(batch, samples);
            waitNanos = notBeforeNanos - System.nanoTime();
        }
        if (minCommitIntervalNanos > 0) {
            uncommittedSamples.addAndGet(-samples.size());
        }
    }

    private void takeQueued(List<Pending> batch, List<Sample> samples) {
        while (samples.size() < maxBatchSamples) {
            Pending next = queue.poll();
            if (next == null) {
                return;
            }
            batch.add(next);
            samples.addAll(next.samples());
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
        // wakes a writer waiting out the commit interval, so what is queued is committed now
        queue.add(new Pending(List.of(), new CompletableFuture<>(), System.nanoTime()));
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
