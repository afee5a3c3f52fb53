package io.tsunagu.agent.update;

import io.tsunagu.agent.update.internal.ActionRun;
import io.tsunagu.agent.update.internal.RangeDownloader;
import io.tsunagu.agent.update.internal.TrustedStateFile;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.update.EcuIdentity;
import io.tsunagu.protocol.update.RepositoryTrust;
import io.tsunagu.protocol.update.TrustedState;
import io.tsunagu.protocol.update.UpdateVerifier;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The car's update client: asks the cloud for work, carries out update actions and answers cancel requests.
 *
 * <p>When: {@link #trigger()} (on an MQTT notification, on connect) and every {@link
 * UpdateClientConfig#pollIntervalMs()}, so a missed notification only delays an update. Each round flushes the A/B
 * system's outbox (steps become DDI feedback), polls the {@link ActionChannel}, and then carries out the open action
 * ({@link ActionRun}: verify with Uptane, download resumably, install through the {@link AbUpdateSystem}) or answers
 * its cancel: confirmed while the install has not started, rejected afterwards (the A/B system then finishes and
 * reports the true outcome).
 *
 * <p>Threading: rounds run one at a time on the scheduler (its own daemon thread unless one is given); triggers
 * while a round runs coalesce into one more round. A cancel hint ({@link #cancelHint}) is seen by a running round
 * before its next download and before the install.
 */
public final class UpdateClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateClient.class);
    private static final long CLOSE_WAIT_MS = 5_000;

    private final UpdateClientConfig config;
    private final AbUpdateSystem ab;
    private final ActionChannel actions;
    private final ActionRun run;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();
    private final ReentrantLock roundLock = new ReentrantLock();
    private volatile @Nullable UpdateActionId cancelHint;
    private volatile @Nullable ScheduledFuture<?> timer;
    private volatile boolean closed;

    /**
     * @param http the HTTPS client for image downloads (with the car's client certificate)
     * @param scheduler runs the rounds; empty: the client starts its own daemon thread
     */
    public UpdateClient(
            UpdateClientConfig config,
            AbUpdateSystem ab,
            ActionChannel actions,
            MetadataChannel metadata,
            HttpClient http,
            Optional<ScheduledExecutorService> scheduler) {
        this.config = config;
        this.ab = ab;
        this.actions = actions;
        this.ownsScheduler = scheduler.isEmpty();
        this.scheduler = scheduler.orElseGet(() -> Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("update-" + config.vin().value())
                .daemon(true)
                .factory()));
        UpdateVerifier verifier = new UpdateVerifier(
                config.hardwareIds().entrySet().stream()
                        .map(e -> EcuIdentity.of(e.getKey().value(), e.getValue()))
                        .toList(),
                config.clock());
        this.run = new ActionRun(
                config.vin(),
                ab,
                actions,
                metadata,
                new RangeDownloader(http, config.downloadAttempts(), Duration.ofMillis(config.requestTimeoutMs())),
                new TrustedStateFile(config.dir().resolve("trusted-state.json")),
                this::provisionedTrust,
                verifier,
                downloads());
    }

    /** Starts the poll timer; the first round runs at once. */
    public void start() {
        if (timer == null && !closed) {
            timer = scheduler.scheduleWithFixedDelay(this::trigger, 0, config.pollIntervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** Asks for a round soon (a notification arrived, or the car reconnected). Never blocks. */
    public void trigger() {
        if (closed) {
            return;
        }
        again.set(true);
        if (running.compareAndSet(false, true)) {
            scheduler.execute(this::drain);
        }
    }

    /** The cloud said it is cancelling {@code actionId} (an MQTT hint); a running round stops before installing. */
    public void cancelHint(UpdateActionId actionId) {
        cancelHint = actionId;
        trigger();
    }

    /** Rounds completed so far (for tests and stats). */
    public long rounds() {
        return rounds.get();
    }

    private void drain() {
        try {
            while (again.getAndSet(false) && !closed) {
                roundLock.lock();
                try {
                    if (!closed) {
                        round();
                    }
                } finally {
                    roundLock.unlock();
                }
                rounds.incrementAndGet();
            }
        } finally {
            running.set(false);
            if (again.get() && !closed && running.compareAndSet(false, true)) {
                scheduler.execute(this::drain);
            }
        }
    }

    /** One round: answer the open action (or its cancel), then deliver pending steps. */
    void round() {
        try {
            Optional<ActionNotice> notice = actions.poll();
            if (notice.isPresent()) {
                handle(notice.get());
            }
        } catch (TsunaguException e) {
            LOG.info("{}: update round ended early: {} ({})", config.vin(), e.getMessage(), e.code());
        } catch (RuntimeException e) {
            LOG.warn("{}: update round failed", config.vin(), e);
        }
        ab.outbox().flush(actions).exceptionally(error -> {
            LOG.info("{}: update steps stay queued: {}", config.vin(), error.toString());
            return null;
        });
    }

    private void handle(ActionNotice notice) {
        UpdateActionId id = notice.actionId();
        if (notice.cancel()) {
            answerCancel(id, installStarted(id));
            return;
        }
        ActionRun.Result result = run.run(id, this::cancelRequested);
        LOG.info("{} action {}: {}", config.vin(), id, result);
        if (result == ActionRun.Result.CANCELED) {
            answerCancel(id, false);
        }
    }

    private void answerCancel(UpdateActionId id, boolean installStarted) {
        if (installStarted) {
            actions.cancelFeedback(id, false, "the install already started; the car reports its outcome");
        } else {
            clearDownloads();
            actions.cancelFeedback(id, true, "cancelled before the install started");
        }
        cancelHint = null;
    }

    /** Before an install: the MQTT hint, or else a fresh poll (the hint may have been missed). */
    private boolean cancelRequested(UpdateActionId id) {
        if (id.equals(cancelHint)) {
            return true;
        }
        return actions.poll().filter(n -> n.cancel() && n.actionId().equals(id)).isPresent();
    }

    private boolean installStarted(UpdateActionId id) {
        return ab.installedBase().keySet().stream()
                .anyMatch(ecu -> ab.outcome(id, ecu).isPresent());
    }

    private TrustedState provisionedTrust() {
        return new TrustedState(
                RepositoryTrust.initial(config.directorRoot()), RepositoryTrust.initial(config.imageRoot()), Map.of());
    }

    private Path downloads() {
        return config.dir().resolve("downloads");
    }

    private void clearDownloads() {
        if (!Files.isDirectory(downloads())) {
            return;
        }
        try (Stream<Path> files = Files.list(downloads())) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot clear {}: {}", config.vin(), downloads(), e.toString());
        }
    }

    /**
     * Stops the timer and waits (up to 5 s) for a running round to end, so the caller may then close the A/B system.
     */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        if (ownsScheduler) {
            scheduler.shutdown();
        }
        try {
            if (roundLock.tryLock(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                roundLock.unlock();
            } else {
                LOG.warn("{}: an update round is still running at close", config.vin());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
