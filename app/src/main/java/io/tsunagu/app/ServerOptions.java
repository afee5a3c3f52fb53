package io.tsunagu.app;

import io.tsunagu.server.ServerConfig;
import io.tsunagu.server.ingest.IngestConfig;
import io.tsunagu.server.update.ddi.DdiSettings;
import io.tsunagu.server.update.uptane.UptaneConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Server options shared by {@code server} and {@code demo}; each maps onto one {@link ServerConfig} field. */
final class ServerOptions {
    @Option(names = "--data", defaultValue = "data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--bind",
            defaultValue = "0.0.0.0",
            description = "Listen address of MQTT and HTTP (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--mqtt-port",
            defaultValue = "8883",
            description = "MQTT over TLS port (default: ${DEFAULT-VALUE}).")
    int mqttPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "REST API port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(
            names = "--https-port",
            defaultValue = "8443",
            description = "REST API over HTTPS with the server certificate, client certificate optional;"
                    + " -1 turns it off (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(
            names = "--artifact-max-bytes",
            defaultValue = "" + ServerConfig.DEFAULT_ARTIFACT_MAX_BYTES,
            description = "Largest OTA artifact accepted for upload, bytes (default: ${DEFAULT-VALUE}).")
    long artifactMaxBytes;

    @Option(
            names = "--ddi-tenant",
            defaultValue = DdiSettings.DEFAULT_TENANT,
            description = "hawkBit DDI tenant, the {tenant} of /{tenant}/controller/v1/{controllerId}"
                    + " (default: ${DEFAULT-VALUE}).")
    String ddiTenant;

    @Option(
            names = "--ddi-polling-sleep-seconds",
            defaultValue = "300",
            description = "Seconds a hawkBit DDI client is told to wait between polls, 1..86399"
                    + " (default: ${DEFAULT-VALUE}).")
    long ddiPollingSleepSeconds;

    @Option(
            names = "--tls-hostname",
            description = "DNS name in the server certificate, repeatable (default: localhost).")
    List<String> tlsHostnames = new ArrayList<>();

    @Option(names = "--tls-ip", description = "IP address in the server certificate, repeatable (default: 127.0.0.1).")
    List<String> tlsIps = new ArrayList<>();

    @Option(
            names = "--max-payload-bytes",
            defaultValue = "262144",
            description = "Largest telemetry message accepted, bytes (default: ${DEFAULT-VALUE}).")
    int maxPayloadBytes;

    @Option(
            names = "--rate-limit",
            defaultValue = "50",
            description = "Telemetry messages per second per car, 0 = unlimited (default: ${DEFAULT-VALUE}).")
    double rateLimit;

    @Option(
            names = "--rate-burst",
            defaultValue = "500",
            description = "Per-car burst allowance in messages (default: ${DEFAULT-VALUE}).")
    double rateBurst;

    @Option(
            names = "--retention-days",
            defaultValue = "365",
            description = "Days of history kept (default: ${DEFAULT-VALUE}).")
    long retentionDays;

    @Option(
            names = "--history-cold-after-days",
            defaultValue = "0",
            description = "Convert closed history days older than this many days to Parquet, hourly (0: off;"
                    + " default: ${DEFAULT-VALUE}). Smaller on disk, slower one-car reads of those days.")
    long coldAfterDays;

    @Option(
            names = "--history-archive-after-days",
            defaultValue = "0",
            description = "Move closed history days older than this many days to the cold archive, hourly: one"
                    + " Parquet file per day sorted by series, the partition dropped (0: off; default:"
                    + " ${DEFAULT-VALUE}). Replaces --history-cold-after-days (use one of them).")
    long archiveAfterDays;

    @Option(names = "--catalog-overlay", description = "VSS overlay JSON with extra or changed signals.")
    Optional<Path> catalogOverlay;

    @Option(
            names = "--jdbc-url",
            description = "Metadata database URL, e.g. jdbc:postgresql://host/tsunagu (default: embedded H2).")
    Optional<String> jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "", description = "Metadata database user.")
    String jdbcUser;

    @Option(
            names = "--jdbc-password",
            defaultValue = "${env:TSUNAGU_JDBC_PASSWORD:-}",
            description = "Metadata database password (env TSUNAGU_JDBC_PASSWORD).")
    String jdbcPassword;

    @Option(
            names = "--uptane-threshold",
            defaultValue = "1",
            description = "Keys (and signatures) per Uptane role, applied at first start and at root rotation"
                    + " (default: ${DEFAULT-VALUE}).")
    int uptaneThreshold;

    ServerConfig toConfig() {
        ServerConfig defaults = ServerConfig.defaults(dataDir);
        return new ServerConfig(
                dataDir,
                bind,
                mqttPort,
                bind,
                httpPort,
                httpsPort,
                tlsHostnames.isEmpty() ? defaults.tlsHostnames() : tlsHostnames,
                tlsIps.isEmpty() ? defaults.tlsIpAddresses() : tlsIps,
                new IngestConfig(
                        maxPayloadBytes,
                        rateLimit,
                        rateBurst,
                        IngestConfig.defaults().maxBatchSamples()),
                Duration.ofDays(retentionDays),
                catalogOverlay,
                jdbcUrl,
                jdbcUser,
                jdbcPassword,
                artifactMaxBytes,
                UptaneConfig.defaults().withThreshold(uptaneThreshold),
                new DdiSettings(ddiTenant, Duration.ofSeconds(ddiPollingSleepSeconds)),
                coldAfterDays > 0 ? Optional.of(Duration.ofDays(coldAfterDays)) : Optional.empty(),
                archiveAfterDays > 0 ? Optional.of(Duration.ofDays(archiveAfterDays)) : Optional.empty());
    }
}
