package io.tsunagu.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.api.ApiServer;
import io.tsunagu.server.api.ArtifactRoutes;
import io.tsunagu.server.api.CommandRoutes;
import io.tsunagu.server.api.DdiAuthenticator;
import io.tsunagu.server.api.DdiRoutes;
import io.tsunagu.server.api.EcuRoutes;
import io.tsunagu.server.api.RolloutRoutes;
import io.tsunagu.server.api.TelemetryRoutes;
import io.tsunagu.server.api.UptaneRoutes;
import io.tsunagu.server.api.UserRoutes;
import io.tsunagu.server.api.VehicleRoutes;
import io.tsunagu.server.command.CommandService;
import io.tsunagu.server.command.CommandTransport;
import io.tsunagu.server.command.FleetCommandKey;
import io.tsunagu.server.fleet.ApiUsers;
import io.tsunagu.server.fleet.CertificateAuthority;
import io.tsunagu.server.fleet.ServerIdentity;
import io.tsunagu.server.fleet.VehicleProvisioning;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.history.ArchiveCompactor;
import io.tsunagu.server.history.ArchivedSampleStore;
import io.tsunagu.server.history.ColdDayCompactor;
import io.tsunagu.server.history.QuestDbSampleStore;
import io.tsunagu.server.history.SampleStore;
import io.tsunagu.server.ingest.IngestPipeline;
import io.tsunagu.server.ingest.RateLimiter;
import io.tsunagu.server.ingest.RejectionLog;
import io.tsunagu.server.ingest.mqtt.CommandChannel;
import io.tsunagu.server.ingest.mqtt.ConnectionListener;
import io.tsunagu.server.ingest.mqtt.MqttGateway;
import io.tsunagu.server.ingest.mqtt.MqttGatewayConfig;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.observe.GracefulStop;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.twin.TwinStore;
import io.tsunagu.server.update.Artifact;
import io.tsunagu.server.update.ArtifactStore;
import io.tsunagu.server.update.Sha256;
import io.tsunagu.server.update.ddi.DdiArtifactHashes;
import io.tsunagu.server.update.ddi.DdiControllerAttributes;
import io.tsunagu.server.update.ddi.DdiDeviceApi;
import io.tsunagu.server.update.ddi.DdiTokens;
import io.tsunagu.server.update.rollout.ArtifactLookup;
import io.tsunagu.server.update.rollout.RolloutNotifier;
import io.tsunagu.server.update.rollout.RolloutService;
import io.tsunagu.server.update.uptane.ActionBinding;
import io.tsunagu.server.update.uptane.ImageArtifact;
import io.tsunagu.server.update.uptane.UptaneRepositories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud in one process: composes every capability with plain constructors, in dependency order, and closes them
 * in reverse. Embedded defaults need no external service: H2 metadata, QuestDB history and the MQTT gateway's TLS
 * stores all keep their files under the data directory.
 */
public final class TsunaguServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TsunaguServer.class);
    /** How often expired commands are marked (and, every 15th time, queued ones retried for online cars). */
    private static final Duration COMMAND_SWEEP = Duration.ofSeconds(1);
    /** How often rollout campaigns progress and gated actions (window, parked car) are re-checked. */
    private static final Duration ROLLOUT_SWEEP = Duration.ofSeconds(5);
    /** Update notifications expire if the car is not connected within this time; it finds the action anyway. */
    private static final Duration UPDATE_NOTICE_EXPIRY = Duration.ofHours(1);

    private final ServerConfig config;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final Metrics metrics = new Metrics();
    private final VehicleRegistry registry;
    private final VehicleProvisioning provisioning;
    private final ApiUsers users;
    private final CertificateAuthority authority;
    private final SampleStore history;
    private final TwinStore twins;
    private final RejectionLog rejections;
    private final CommandService commands;
    private final ArtifactStore artifacts;
    private final DdiTokens ddiTokens;
    private final RolloutService rollouts;
    private final MqttGateway gateway;
    private final ApiServer api;
    private final String adminToken;
    private final FleetCommandKey commandKey;
    private final UptaneRepositories uptane;

    private TsunaguServer(ServerConfig config, Clock clock, Optional<ArtifactLookup> artifactOverride) {
        try {
            this.config = config;
            Path dataDir = createDirectories(config.dataDir());
            MetadataDatabase database = config.jdbcUrl()
                    .map(url -> MetadataDatabase.open(url, config.jdbcUser(), config.jdbcPassword()))
                    .orElseGet(() -> MetadataDatabase.embedded(dataDir));
            closeables.push(database);
            this.registry = new VehicleRegistry(database.dataSource(), clock);
            this.authority = CertificateAuthority.open(createDirectories(dataDir.resolve("ca")), clock);
            this.provisioning = new VehicleProvisioning(registry, authority);
            this.users = new ApiUsers(database.dataSource(), clock);
            this.adminToken = users.ensureAdmin(dataDir.resolve("admin.token"));

            SignalCatalog catalog = catalog(config);
            this.history = openHistory(config, dataDir, catalog);
            closeables.push(history);
            this.twins = new TwinStore();
            Map<Vin, List<Sample>> latest = history.latestAll();
            twins.restore(latest);
            LOG.info("twin restored for {} vehicles from history", latest.size());

            this.rejections = new RejectionLog(metrics, clock);
            IngestPipeline pipeline = new IngestPipeline(
                    config.ingest(),
                    catalog,
                    history::appendDurably,
                    twins::applyCommitted,
                    rejections,
                    metrics,
                    new RateLimiter(
                            config.ingest().messagesPerSecondPerCar(),
                            config.ingest().burstPerCar(),
                            System::nanoTime));
            closeables.push(pipeline);

            this.commandKey = FleetCommandKey.open(createDirectories(dataDir.resolve("keys")));
            this.commands =
                    new CommandService(database.dataSource(), commandKey, twins, commandTransport(), metrics, clock);
            this.artifacts = ArtifactStore.open(
                    createDirectories(dataDir.resolve("artifacts")),
                    database.dataSource(),
                    config.artifactMaxBytes(),
                    metrics,
                    clock);
            ArtifactLookup lookup = artifactOverride.orElseGet(() -> artifactLookup(artifacts));
            this.uptane = openUptane(dataDir, database, artifactOverride, clock);
            closeables.push(uptane);
            this.rollouts =
                    new RolloutService(database.dataSource(), registry, twins, lookup, rolloutNotifier(lookup), clock);
            closeables.push(rollouts);
            ServerIdentity identity = authority.serverIdentity(config.tlsHostnames(), config.tlsIpAddresses());
            this.gateway = new MqttGateway(
                    gatewayConfig(config, dataDir, identity),
                    registry::certificateTrusted,
                    pipeline,
                    connectionListener(),
                    commandChannel(),
                    metrics,
                    clock);
            gateway.start();
            closeables.push(gateway);
            commands.start(COMMAND_SWEEP);
            closeables.push(commands);
            rollouts.start(ROLLOUT_SWEEP);

            this.ddiTokens = DdiTokens.open(database.dataSource(), clock, dataDir.resolve("ddi-gateway.token"));

            ObjectMapper mapper = new ObjectMapper();
            this.api = new ApiServer(
                    config.httpHost(),
                    config.httpPort(),
                    config.httpsPort() < 0
                            ? Optional.empty()
                            : Optional.of(new ApiServer.HttpsListener(config.httpsPort(), identity)),
                    mapper,
                    users,
                    metrics,
                    List.of(
                            new VehicleRoutes(registry, provisioning, gateway::disconnect, commandKey.info(), uptane),
                            new TelemetryRoutes(registry, twins, history, rejections, clock),
                            new CommandRoutes(registry, commands),
                            new ArtifactRoutes(artifacts),
                            ddiRoutes(config, database, clock),
                            new RolloutRoutes(registry, rollouts),
                            new UserRoutes(users),
                            new EcuRoutes(registry, uptane.ecus()),
                            new UptaneRoutes(uptane, registry)));
            api.start();
            closeables.push(api);
            uptane.start();
            scheduleRetention(clock);
            metrics.gauge("tsunagu_vehicles_registered", "Vehicles in the registry", registry::count);
            metrics.gauge("tsunagu_twins", "Vehicles with a digital twin", twins::size);

        } catch (RuntimeException e) {
            closeAll();
            throw e;
        }
    }

    /** Starts a server; returns once MQTT and HTTP accept connections. */
    public static TsunaguServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static TsunaguServer start(ServerConfig config, Clock clock) {
        return new TsunaguServer(config, clock, Optional.empty());
    }

    /**
     * Starts a server whose rollouts resolve artifacts through {@code artifacts} instead of its own artifact store
     * (tests of the rollout rules that need no uploaded bytes).
     */
    public static TsunaguServer start(ServerConfig config, Clock clock, ArtifactLookup artifacts) {
        return new TsunaguServer(config, clock, Optional.of(artifacts));
    }

    /** Images are released when a rollout action names them ({@link ActionBinding}), or through the API. */
    private UptaneRepositories openUptane(
            Path dataDir, MetadataDatabase database, Optional<ArtifactLookup> artifactOverride, Clock clock) {
        return UptaneRepositories.open(
                createDirectories(dataDir.resolve("keys").resolve("uptane")),
                database.dataSource(),
                config.uptane(),
                imageLookup(artifacts, artifactOverride),
                metrics,
                clock);
    }

    /**
     * The image repository's view of the artifact store, with the version release counters come from; then the
     * rollouts' override lookup, if any (it knows no version).
     */
    private static ImageArtifact.Lookup imageLookup(ArtifactStore store, Optional<ArtifactLookup> override) {
        Optional<ImageArtifact.Lookup> fallback = override.map(ActionBinding::imageLookup);
        return sha256 -> store.find(Sha256.of(sha256))
                .map(a -> new ImageArtifact(
                        a.sha256().value(), a.lengthBytes(), a.filename(), a.version(), a.hardwareIds()))
                .or(() -> fallback.flatMap(f -> f.find(sha256)));
    }

    /** Rollouts see the artifact store through the small lookup they define, not through its classes. */
    /** The hawkBit DDI device API on the rollout actions, with its tokens, attributes and artifact hashes. */
    private DdiRoutes ddiRoutes(ServerConfig config, MetadataDatabase database, Clock clock) {
        DdiArtifactHashes hashes = new DdiArtifactHashes(database.dataSource(), sha256 -> {
            Sha256 id = Sha256.of(sha256);
            Artifact artifact =
                    artifacts.find(id).orElseThrow(() -> new IOException("artifact " + sha256 + " missing"));
            return artifacts.open(id, artifact.whole());
        });
        DdiDeviceApi device = new DdiDeviceApi(
                rollouts, new DdiControllerAttributes(database.dataSource(), clock), hashes, config.ddi());
        return new DdiRoutes(
                device, ddiTokens, new DdiAuthenticator(config.ddi(), ddiTokens, registry, metrics), hashes, artifacts);
    }

    private static ArtifactLookup artifactLookup(ArtifactStore store) {
        return sha256 -> store.find(Sha256.of(sha256))
                .map(a -> new ArtifactLookup.ArtifactInfo(
                        a.sha256().value(), a.lengthBytes(), a.filename(), Set.copyOf(a.hardwareIds())));
    }

    /**
     * Rollouts bind an offered action's images to the car's ECUs in the director ({@link ActionBinding}) and tell cars
     * on MQTT of a new or canceling action at once ({@code vehicles/{vin}/updates}); the gateway is
     * read lazily, it is built after the rollout service.
     */
    private RolloutNotifier rolloutNotifier(ArtifactLookup artifacts) {
        return (vin, actionId, state) -> {
            // Director targets first, so the car finds them signed when the notice makes it look.
            new ActionBinding(uptane, rollouts, artifacts).actionChanged(vin, actionId, state);
            byte[] notice = ("{\"actionId\":" + actionId + ",\"state\":\"" + state.code() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            gateway.publishToCar(vin, Topics.updates(vin), notice, UPDATE_NOTICE_EXPIRY, Topics.CONTENT_TYPE_JSON)
                    .whenComplete((taken, error) -> {
                        if (error != null) {
                            LOG.debug(
                                    "[{}] update notice for action {} not published: {}",
                                    vin,
                                    actionId,
                                    error.toString());
                        }
                    });
        };
    }

    private ConnectionListener connectionListener() {
        return new ConnectionListener() {
            @Override
            public void connectionChanged(Vin vin, boolean online, Instant at) {
                twins.connectionChanged(vin, online, at);
            }

            @Override
            public void sessionStarted(Vin vin, Instant at) {
                // Every connection, also a session takeover: unacknowledged commands are re-sent once per connection.
                commands.carConnected(vin, at);
            }
        };
    }

    /** The gateway as the command service's way to cars; read lazily, the gateway is built after the service. */
    private CommandTransport commandTransport() {
        return new CommandTransport() {
            @Override
            public boolean online(Vin vin) {
                return gateway.online(vin);
            }

            @Override
            public CompletableFuture<Boolean> send(Vin vin, byte[] envelope, Duration expiry) {
                return gateway.publishToCar(vin, Topics.commands(vin), envelope, expiry);
            }
        };
    }

    private CommandChannel commandChannel() {
        return new CommandChannel() {
            @Override
            public CompletableFuture<Void> result(Vin vin, byte[] payload) {
                return commands.resultReceived(vin, payload);
            }

            @Override
            public void subscribed(Vin vin) {
                commands.carSubscribed(vin);
            }
        };
    }

    /** VSS 6.0 plus any overlay: validates ingest and tells history which signals are text (no scan needed). */
    private static SignalCatalog catalog(ServerConfig config) {
        SignalCatalog catalog = SignalCatalog.vss6();
        if (config.catalogOverlay().isPresent()) {
            catalog = catalog.withOverlay(config.catalogOverlay().get());
            LOG.info(
                    "signal catalog: VSS 6.0 + overlay {} ({} signals)",
                    config.catalogOverlay().get(),
                    catalog.size());
        }
        return catalog;
    }

    private MqttGatewayConfig gatewayConfig(ServerConfig config, Path dataDir, ServerIdentity identity) {
        Path tls = createDirectories(dataDir.resolve("broker").resolve("tls"));
        // The stores are rewritten at every start with a fresh random password that lives only in this process.
        char[] password = randomPassword();
        Path keyStore = identity.writeKeyStore(tls.resolve("server.p12"), password);
        Path trustStore = identity.writeTrustStore(tls.resolve("trust.p12"), password);
        int maxPacket = Math.max(config.ingest().maxPayloadBytes() * 4, 1024 * 1024);
        return new MqttGatewayConfig(
                config.mqttBindAddress(),
                config.mqttPort(),
                keyStore,
                trustStore,
                new String(password),
                maxPacket,
                dataDir.resolve("broker"));
    }

    /** QuestDB history, with the cold archive in front of it when {@code --history-archive-after-days} is set. */
    private static SampleStore openHistory(ServerConfig config, Path dataDir, SignalCatalog catalog) {
        QuestDbSampleStore questDb = QuestDbSampleStore.open(createDirectories(dataDir.resolve("history")), catalog);
        return config.historyArchiveAfter().isPresent()
                ? ArchivedSampleStore.open(questDb, dataDir.resolve("history-archive"), catalog)
                : questDb;
    }

    private void scheduleRetention(Clock clock) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tsunagu-retention").daemon(true).factory());
        scheduler.scheduleAtFixedRate(
                () -> {
                    try {
                        long dropped = history.retain(config.retention(), clock.instant());
                        if (dropped > 0) {
                            LOG.info(
                                    "retention: dropped {} day(s) of history older than {} days",
                                    dropped,
                                    config.retention().toDays());
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("retention run failed; will retry in an hour", e);
                    }
                },
                1,
                60,
                TimeUnit.MINUTES);
        closeables.push(() -> GracefulStop.stop(scheduler, Duration.ofSeconds(30), "history retention"));
        if (history instanceof QuestDbSampleStore store
                && config.historyColdAfter().isPresent()) {
            closeables.push(
                    new ColdDayCompactor(store, config.historyColdAfter().get(), clock, metrics).start());
        }
        if (history instanceof ArchivedSampleStore store
                && config.historyArchiveAfter().isPresent()) {
            closeables.push(
                    new ArchiveCompactor(store, config.historyArchiveAfter().get(), clock, metrics).start());
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir, e);
        }
    }

    public int httpPort() {
        return api.port();
    }

    /** The HTTPS port of the REST API, unless the listener is off ({@code httpsPort = -1}). */
    public OptionalInt httpsPort() {
        return api.httpsPort();
    }

    public int mqttPort() {
        return gateway.port();
    }

    /** The admin's API token (also in {@code <data>/admin.token}, mode 0600). */
    public String adminToken() {
        return adminToken;
    }

    /** The fleet's command signing key; cars receive its public half with their credentials. */
    public FleetCommandKey commandKey() {
        return commandKey;
    }

    public VehicleProvisioning provisioning() {
        return provisioning;
    }

    public VehicleRegistry registry() {
        return registry;
    }

    public ApiUsers users() {
        return users;
    }

    public TwinStore twins() {
        return twins;
    }

    public SampleStore history() {
        return history;
    }

    public CommandService commands() {
        return commands;
    }

    /** The Uptane image repository, director and ECU inventory. */
    public UptaneRepositories uptane() {
        return uptane;
    }

    /** OTA rollouts; also the device-side action API ({@link io.tsunagu.server.update.rollout.DeviceActions}). */
    public RolloutService rollouts() {
        return rollouts;
    }

    /** The hawkBit DDI target and gateway tokens. */
    public DdiTokens ddiTokens() {
        return ddiTokens;
    }

    /** The OTA artifact store (software images by SHA-256). */
    public ArtifactStore artifacts() {
        return artifacts;
    }

    public Metrics metrics() {
        return metrics;
    }

    public CertificateAuthority authority() {
        return authority;
    }

    public ServerConfig config() {
        return config;
    }

    /** Stops accepting, flushes what is queued, closes storage. */
    @Override
    public void close() {
        closeAll();
        LOG.info("Tsunagu server stopped");
    }

    private void closeAll() {
        while (!closeables.isEmpty()) {
            AutoCloseable closeable = closeables.pop();
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}", closeable, e);
            }
        }
    }
}
