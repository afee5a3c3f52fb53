package io.tsunagu.server;

import io.tsunagu.server.ingest.IngestConfig;
import io.tsunagu.server.update.ddi.DdiSettings;
import io.tsunagu.server.update.uptane.UptaneConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the server can be told, with embedded defaults that need no external service. The command-line
 * options of {@code tsunagu server} map one to one onto these fields.
 *
 * @param dataDir where the metadata database, history, CA keys and broker files live
 * @param mqttBindAddress address of the MQTT/TLS listener
 * @param mqttPort MQTT/TLS port (8883)
 * @param httpHost address of the REST API
 * @param httpPort REST API port (8080; 0 picks a free port)
 * @param httpsPort REST API port over TLS with the server certificate (8443; 0 picks a free port; -1 turns it off)
 * @param tlsHostnames DNS names in the server certificate (cars verify the broker's name against these)
 * @param tlsIpAddresses IP addresses in the server certificate
 * @param ingest ingest limits
 * @param retention how long history is kept
 * @param catalogOverlay optional VSS overlay file with custom signals, in the VSS JSON shape
 * @param jdbcUrl optional metadata database URL (PostgreSQL in scale-out); default: embedded H2 under dataDir
 * @param jdbcUser user of {@code jdbcUrl}
 * @param jdbcPassword password of {@code jdbcUrl}
 * @param artifactMaxBytes largest OTA artifact (software image) accepted for upload, in bytes
 * @param uptane how the Uptane image repository and director sign (thresholds, lifetimes, refresher)
 * @param ddi the hawkBit DDI device API: tenant name and the polling sleep told to devices
 * @param historyColdAfter when present, closed history days older than this are converted to Parquet every hour
 *     ({@link io.tsunagu.server.history.ColdDayCompactor}); off by default (see docs/architecture.md, "Cold days")
 * @param historyArchiveAfter when present, closed history days older than this move to the cold archive every hour
 *     (one Parquet file per day, the partition dropped: {@link io.tsunagu.server.history.ArchivedSampleStore}); off by
 *     default, and exclusive with {@code historyColdAfter}, which it replaces (docs/architecture.md, "Cold archive")
 */
public record ServerConfig(
        Path dataDir,
        String mqttBindAddress,
        int mqttPort,
        String httpHost,
        int httpPort,
        int httpsPort,
        List<String> tlsHostnames,
        List<String> tlsIpAddresses,
        IngestConfig ingest,
        Duration retention,
        Optional<Path> catalogOverlay,
        Optional<String> jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        long artifactMaxBytes,
        UptaneConfig uptane,
        DdiSettings ddi,
        Optional<Duration> historyColdAfter,
        Optional<Duration> historyArchiveAfter) {
    /** Default largest artifact: 8 GiB, enough for a full infotainment image. */
    public static final long DEFAULT_ARTIFACT_MAX_BYTES = 8L << 30;

    public ServerConfig {
        tlsHostnames = List.copyOf(tlsHostnames);
        tlsIpAddresses = List.copyOf(tlsIpAddresses);
        if (mqttPort < 0 || mqttPort > 65535) {
            throw new IllegalArgumentException("mqtt.port must be 0..65535, got " + mqttPort);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("http.port must be 0..65535, got " + httpPort);
        }
        if (httpsPort < -1 || httpsPort > 65535) {
            throw new IllegalArgumentException("https.port must be 0..65535 or -1 (off), got " + httpsPort);
        }
        if (artifactMaxBytes <= 0) {
            throw new IllegalArgumentException("artifact.max-bytes must be > 0, got " + artifactMaxBytes);
        }
        historyColdAfter.ifPresent(ServerConfig::requirePositiveColdAfter);
        historyArchiveAfter.ifPresent(ServerConfig::requirePositiveColdAfter);
        if (historyColdAfter.isPresent() && historyArchiveAfter.isPresent()) {
            throw new IllegalArgumentException(
                    "history.cold-after and history.archive-after exclude each other: the archive replaces the"
                            + " in-place Parquet conversion");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("history.retention-days must be > 0, got " + retention.toDays());
        }
    }

    private static void requirePositiveColdAfter(Duration coldAfter) {
        if (coldAfter.isNegative() || coldAfter.isZero()) {
            throw new IllegalArgumentException("history.cold-after must be > 0, got " + coldAfter);
        }
    }

    /** Embedded defaults under {@code dataDir}. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(
                dataDir,
                "0.0.0.0",
                8883,
                "0.0.0.0",
                8080,
                8443,
                List.of("localhost"),
                List.of("127.0.0.1"),
                IngestConfig.defaults(),
                Duration.ofDays(365),
                Optional.empty(),
                Optional.empty(),
                "",
                "",
                DEFAULT_ARTIFACT_MAX_BYTES,
                UptaneConfig.defaults(),
                DdiSettings.defaults(),
                Optional.empty(),
                Optional.empty());
    }

    /** MQTT and REST on {@code bindAddress}; port 0 picks a free one. */
    public ServerConfig withPorts(String bindAddress, int mqttPort, int httpPort) {
        Copy copy = new Copy(this);
        copy.mqttBindAddress = bindAddress;
        copy.httpHost = bindAddress;
        copy.mqttPort = mqttPort;
        copy.httpPort = httpPort;
        return copy.build();
    }

    public ServerConfig withIngest(IngestConfig ingest) {
        Copy copy = new Copy(this);
        copy.ingest = ingest;
        return copy.build();
    }

    public ServerConfig withRetention(Duration retention) {
        Copy copy = new Copy(this);
        copy.retention = retention;
        return copy.build();
    }

    public ServerConfig withCatalogOverlay(Optional<Path> overlay) {
        Copy copy = new Copy(this);
        copy.catalogOverlay = overlay;
        return copy.build();
    }

    public ServerConfig withDatabase(Optional<String> url, String user, String password) {
        Copy copy = new Copy(this);
        copy.jdbcUrl = url;
        copy.jdbcUser = user;
        copy.jdbcPassword = password;
        return copy.build();
    }

    /** The HTTPS port: 0 picks a free one, -1 turns the listener off. */
    public ServerConfig withHttpsPort(int port) {
        Copy copy = new Copy(this);
        copy.httpsPort = port;
        return copy.build();
    }

    public ServerConfig withArtifactMaxBytes(long maxBytes) {
        Copy copy = new Copy(this);
        copy.artifactMaxBytes = maxBytes;
        return copy.build();
    }

    public ServerConfig withUptane(UptaneConfig uptane) {
        Copy copy = new Copy(this);
        copy.uptane = uptane;
        return copy.build();
    }

    /** The hawkBit DDI settings (tenant, polling sleep). */
    public ServerConfig withDdi(DdiSettings settings) {
        Copy copy = new Copy(this);
        copy.ddi = settings;
        return copy.build();
    }

    /** Closed history days older than {@code coldAfter} go to Parquet every hour; empty turns it off. */
    public ServerConfig withHistoryColdAfter(Optional<Duration> coldAfter) {
        Copy copy = new Copy(this);
        copy.historyColdAfter = coldAfter;
        return copy.build();
    }

    /** Closed history days older than {@code archiveAfter} move to the cold archive every hour; empty turns it off. */
    public ServerConfig withHistoryArchiveAfter(Optional<Duration> archiveAfter) {
        Copy copy = new Copy(this);
        copy.historyArchiveAfter = archiveAfter;
        return copy.build();
    }

    /** A mutable copy for the withers: each changes its fields and builds (the constructor validates). */
    private static final class Copy {
        private Path dataDir;
        private String mqttBindAddress;
        private int mqttPort;
        private String httpHost;
        private int httpPort;
        private int httpsPort;
        private List<String> tlsHostnames;
        private List<String> tlsIpAddresses;
        private IngestConfig ingest;
        private Duration retention;
        private Optional<Path> catalogOverlay;
        private Optional<String> jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private long artifactMaxBytes;
        private UptaneConfig uptane;
        private DdiSettings ddi;
        private Optional<Duration> historyColdAfter;
        private Optional<Duration> historyArchiveAfter;

        Copy(ServerConfig config) {
            dataDir = config.dataDir;
            mqttBindAddress = config.mqttBindAddress;
            mqttPort = config.mqttPort;
            httpHost = config.httpHost;
            httpPort = config.httpPort;
            httpsPort = config.httpsPort;
            tlsHostnames = config.tlsHostnames;
            tlsIpAddresses = config.tlsIpAddresses;
            ingest = config.ingest;
            retention = config.retention;
            catalogOverlay = config.catalogOverlay;
            jdbcUrl = config.jdbcUrl;
            jdbcUser = config.jdbcUser;
            jdbcPassword = config.jdbcPassword;
            artifactMaxBytes = config.artifactMaxBytes;
            uptane = config.uptane;
            ddi = config.ddi;
            historyColdAfter = config.historyColdAfter;
            historyArchiveAfter = config.historyArchiveAfter;
        }

        ServerConfig build() {
            return new ServerConfig(
                    dataDir,
                    mqttBindAddress,
                    mqttPort,
                    httpHost,
                    httpPort,
                    httpsPort,
                    tlsHostnames,
                    tlsIpAddresses,
                    ingest,
                    retention,
                    catalogOverlay,
                    jdbcUrl,
                    jdbcUser,
                    jdbcPassword,
                    artifactMaxBytes,
                    uptane,
                    ddi,
                    historyColdAfter,
                    historyArchiveAfter);
        }
    }
}
