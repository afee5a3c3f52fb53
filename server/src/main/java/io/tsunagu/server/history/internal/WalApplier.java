package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.O3PartitionPurgeJob;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.wal.ApplyWal2TableJob;
import io.questdb.cairo.wal.CheckWalTransactionsJob;
import io.questdb.cairo.wal.WalPurgeJob;
import io.questdb.cairo.wal.seq.SeqTxnTracker;
import io.tsunagu.protocol.TsunaguException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the committed write-ahead-log transactions of one QuestDB WAL table to the table, continuously, on its own
 * thread ({@code tsunagu-history-apply}), so that a writer returns as soon as its WAL commit is durable instead of also
 * waiting for the merge into the table (out-of-order copy, de-duplication, index update, column sync). Transactions
 * that arrive while one apply runs are applied together in the next, so the apply cost per sample falls as load rises.
 * Rounds start at most every {@code minRoundIntervalMs} (unless a reader waits for visibility or appends are held back
 * by the backlog bound): at moderate load a round then merges several commits instead of one, which costs one set of
 * column msyncs and one index update for all of them (issue 3: the per-apply cost, not the per-row one, dominated).
 *
 * <p>Transactions are numbered by QuestDB's sequencer ({@code seqTxn}); {@link #appliedTxn()} only grows, and the table
 * shows a transaction to readers exactly when it is applied, always after every earlier one.
 *
 * <p>Threading: {@link #committed()}, {@link #awaitApplied} and {@link #appliedTxn()} from any thread; {@link
 * #applyAll()} only before {@link #start()}.
 */
public final class WalApplier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalApplier.class);
    /** How often the thread wakes without new commits, to purge applied WAL segments and retry a stuck apply. */
    private static final long IDLE_WAKE_MS = 1_000;
    /** Rounds without progress after which {@link #applyAll()} gives up (each round re-announces the transactions). */
    private static final int MAX_STALLED_ROUNDS = 100;

    private static final long CLOSE_TIMEOUT_MS = 30_000;

    private final CairoEngine engine;
    private final TableToken table;
    private final SeqTxnTracker tracker;
    private final ApplyWal2TableJob applyJob;
    private final CheckWalTransactionsJob checkJob;
    private final WalPurgeJob walPurgeJob;
    private final O3PartitionPurgeJob partitionPurgeJob;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final Thread thread;
    private final long minRoundIntervalNanos;
    private long lastRoundStartNanos; // apply thread only
    private int urgentWaiters; // guarded by lock
    private volatile long appliedTxn;
    private final AtomicLong applyEdges = new AtomicLong(); // +1 as a round starts and as it ends: odd while applying
    private volatile boolean running = true;
    private long committedTxn; // guarded by lock

    /**
     * @param minRoundIntervalMs least time between the starts of two apply rounds while nobody waits for visibility;
     *     0 applies as soon as something is committed
     */
    public WalApplier(CairoEngine engine, TableToken table, long minRoundIntervalMs) {
        this.engine = engine;
        this.minRoundIntervalNanos = TimeUnit.MILLISECONDS.toNanos(minRoundIntervalMs);
        this.table = table;
        this.tracker = engine.getTableSequencerAPI().getTxnTracker(table);
        this.applyJob = new ApplyWal2TableJob(engine, 0);
        this.checkJob = new CheckWalTransactionsJob(engine);
        this.walPurgeJob = new WalPurgeJob(engine);
        this.partitionPurgeJob = new O3PartitionPurgeJob(engine, 1);
        this.committedTxn = lastCommittedTxn();
        this.appliedTxn = tracker.getWriterTxn();
        this.thread =
                Thread.ofPlatform().name("tsunagu-history-apply").daemon(true).unstarted(this::run);
    }

    /**
     * Applies every committed transaction on the calling thread: at open, the ones a crash left unapplied.
     *
     * @throws TsunaguException retriable when the table is suspended or the apply makes no progress
     */
    public void applyAll() {
        checkJob.run(0); // announces transactions committed before the last shutdown to the apply job
        long target = lastCommittedTxn();
        for (int stalled = 0; applyOnce() < target; stalled++) {
            failIfSuspended();
            if (stalled >= MAX_STALLED_ROUNDS) {
                throw new TsunaguException(
                        "history_unavailable",
                        "history table applied its write-ahead log only up to transaction " + appliedTxn + " of "
                                + target,
                        true);
            }
            checkJob.run(0);
        }
        purge();
    }

    /** Starts the apply thread. */
    public void start() {
        thread.start();
    }

    /** Tells the applier that a transaction was committed to the WAL (data or a structure change). */
    public void committed() {
        long last = lastCommittedTxn();
        lock.lock();
        try {
            committedTxn = Math.max(committedTxn, last);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The newest transaction committed to the WAL, as far as {@link #committed()} was told. */
    public long committedTxn() {
        lock.lock();
        try {
            return committedTxn;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A version of what readers see, as a seqlock: odd while an apply is making rows visible, and different after
     * every apply. A reader that needs several statements to see one state compares it before and after.
     */
    public long visibilityVersion() {
        return applyEdges.get();
    }

    /** The newest transaction visible to readers of the table. */
    public long appliedTxn() {
        return appliedTxn;
    }

    /**
     * Waits until transaction {@code txn} is applied.
     *
     * @return false if the timeout passed first
     * @throws TsunaguException retriable when the table is suspended (it will not apply until an operator resumes it)
     */
    public boolean awaitApplied(long txn, Duration timeout) {
        long remainingNs = timeout.toNanos();
        lock.lock();
        urgentWaiters++;
        work.signal(); // a waiting reader cuts the pause between rounds short
        try {
            while (appliedTxn < txn) {
                failIfSuspended();
                if (remainingNs <= 0 || !running) {
                    return appliedTxn >= txn;
                }
                remainingNs = progress.awaitNanos(remainingNs);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            urgentWaiters--;
            lock.unlock();
        }
    }

    /** Throws when QuestDB suspended the table after an apply failure (e.g. disk full); appends must stop then. */
    public void failIfSuspended() {
        if (tracker.isSuspended()) {
            throw new TsunaguException(
                    "history_unavailable", "history table is suspended: " + tracker.getErrorMessage(), true);
        }
    }

    private void run() {
        while (running) {
            try {
                awaitWork();
                applyOnce();
                purge();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // QuestDB's job suspends the table on apply errors itself; this is a failure around it.
                LOG.error("applying the history write-ahead log failed; retrying in {} ms", IDLE_WAKE_MS, e);
                pause();
            }
        }
    }

    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            if (running && committedTxn <= appliedTxn) {
                work.await(IDLE_WAKE_MS, TimeUnit.MILLISECONDS);
            }
            long pauseNs = lastRoundStartNanos + minRoundIntervalNanos - System.nanoTime();
            while (running && urgentWaiters == 0 && pauseNs > 0) {
                pauseNs = work.awaitNanos(pauseNs); // let more commits gather: one round merges them all
            }
        } finally {
            lock.unlock();
        }
        lastRoundStartNanos = System.nanoTime();
    }

    /** Applies what QuestDB was told about, re-announcing transactions if the apply made no progress. */
    private long applyOnce() {
        long before = appliedTxn;
        WalApplyEvent event = new WalApplyEvent();
        event.begin();
        applyEdges.incrementAndGet();
        long after;
        try {
            while (applyJob.run(0) && running) {
                publishApplied(); // each run applies one time-boxed slice; readers see it at once
            }
            after = publishApplied();
        } finally {
            applyEdges.incrementAndGet();
        }
        event.record(before, after);
        if (after == before && after < lastCommittedTxn() && !tracker.isSuspended()) {
            checkJob.run(0); // a notification was lost (queue full): let the job find the table again
        }
        return after;
    }

    private long publishApplied() {
        long applied = tracker.getWriterTxn();
        lock.lock();
        try {
            if (applied > appliedTxn) {
                appliedTxn = applied;
                progress.signalAll();
            }
            return appliedTxn;
        } finally {
            lock.unlock();
        }
    }

    private void purge() {
        partitionPurgeJob.drain(0);
        walPurgeJob.run(0); // deletes applied WAL segments; rate-limited by QuestDB (cairo.wal.purge.interval)
    }

    private void pause() {
        lock.lock();
        try {
            progress.signalAll(); // waiters re-check suspension
            work.await(IDLE_WAKE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private long lastCommittedTxn() {
        return engine.getTableSequencerAPI().lastTxn(table);
    }

    /**
     * Stops the thread, then applies what was committed; whatever remains unapplied (a crash) is applied at the next
     * open.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            work.signal();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(CLOSE_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("history apply thread did not stop within {} ms", CLOSE_TIMEOUT_MS);
        } else {
            applyOnce(); // tidy shutdown: the next open has nothing to recover
        }
        applyJob.close();
        walPurgeJob.close();
        partitionPurgeJob.close();
    }
}
