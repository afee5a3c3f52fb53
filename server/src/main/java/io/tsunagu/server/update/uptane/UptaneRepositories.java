package io.tsunagu.server.update.uptane;

import io.tsunagu.server.observe.GracefulStop;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.update.uptane.internal.MetadataRows;
import io.tsunagu.server.update.uptane.internal.RoleKeyFiles;
import io.tsunagu.server.update.uptane.internal.SigningRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image repository and the director with their keys, the ECU inventory, and the refresher that re-signs metadata
 * before it expires. Keys live under {@code <keysDir>/image/} and {@code <keysDir>/director/} (the server passes
 * {@code <data>/keys/uptane}); signed metadata lives in the metadata database. Every key is online by default (see
 * docs/architecture.md, "OTA repositories on the server", for keeping root and image-targets keys offline).
 */
public final class UptaneRepositories implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UptaneRepositories.class);
    /** Cars whose director metadata one refresher run re-signs at most (the rest follow on the next run). */
    private static final int DIRECTOR_BATCH = 2_000;

    private final ImageRepository image;
    private final DirectorRepository director;
    private final EcuInventory ecus;
    private final UptaneConfig config;
    private final LongAdder imageRefreshes;
    private final LongAdder directorRefreshes;
    private final LongAdder refreshFailures;
    private ScheduledExecutorService scheduler;

    private UptaneRepositories(
            ImageRepository image,
            DirectorRepository director,
            EcuInventory ecus,
            UptaneConfig config,
            Metrics metrics) {
        this.image = image;
        this.director = director;
        this.ecus = ecus;
        this.config = config;
        String help = "Uptane metadata scopes re-signed by the refresher, by repository";
        this.imageRefreshes = metrics.counter("tsunagu_uptane_refreshes_total", help, "repository", "image");
        this.directorRefreshes = metrics.counter("tsunagu_uptane_refreshes_total", help, "repository", "director");
        this.refreshFailures =
                metrics.counter("tsunagu_uptane_refresh_failures_total", "Uptane refresher runs that failed");
    }

    /** Opens both repositories, creating keys and root v1 of each on first start. */
    public static UptaneRepositories open(
            Path keysDir,
            DataSource dataSource,
            UptaneConfig config,
            ImageArtifact.Lookup artifacts,
            Metrics metrics,
            Clock clock) {
        MetadataRows rows = new MetadataRows(dataSource);
        EcuInventory ecus = new EcuInventory(dataSource, clock);
        ImageRepository image = new ImageRepository(
                SigningRepository.open(
                        ImageRepository.NAME, new RoleKeyFiles(keysDir.resolve("image")), rows, config, clock),
                artifacts);
        DirectorRepository director = new DirectorRepository(
                SigningRepository.open(
                        DirectorRepository.NAME, new RoleKeyFiles(keysDir.resolve("director")), rows, config, clock),
                image,
                ecus);
        // Published at once (empty on first start), so the refresher keeps it fresh from the beginning.
        image.current();
        return new UptaneRepositories(image, director, ecus, config, metrics);
    }

    public ImageRepository image() {
        return image;
    }

    public DirectorRepository director() {
        return director;
    }

    public EcuInventory ecus() {
        return ecus;
    }

    /** Starts the refresher on its own daemon thread, every {@link UptaneConfig#refreshInterval()}. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("tsunagu-uptane-refresher")
                .daemon(true)
                .factory());
        long periodMs = config.refreshInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshSafely, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * One refresher run: re-signs the image repository's and due cars' metadata whose refresh point (half its
     * lifetime left) has passed, and any root whose refresh point has passed. Returns how many scopes were re-signed.
     */
    public int refreshNow() {
        int images = image.refreshDue();
        int cars = director.refreshDue(DIRECTOR_BATCH);
        imageRefreshes.add(images);
        directorRefreshes.add(cars);
        if (images + cars > 0) {
            LOG.info("Uptane refresher re-signed the image repository {} time(s) and {} car(s)", images, cars);
        }
        return images + cars;
    }

    private void refreshSafely() {
        try {
            refreshNow();
        } catch (RuntimeException e) {
            refreshFailures.increment();
            LOG.warn("Uptane refresher run failed; next try in {}", config.refreshInterval(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            GracefulStop.stop(scheduler, Duration.ofSeconds(10), "uptane metadata refresher");
            scheduler = null;
        }
    }
}
