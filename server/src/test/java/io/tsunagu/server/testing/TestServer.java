package io.tsunagu.server.testing;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.ServerConfig;
import io.tsunagu.server.TsunaguServer;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.ingest.IngestConfig;
import io.tsunagu.server.update.rollout.ArtifactLookup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A real Tsunagu server for tests: embedded H2, QuestDB and HiveMQ in a temp directory, MQTT/TLS and HTTP on free
 * loopback ports. {@link #restart()} (or {@link #stop()}, then {@link #startAgain()}) stops and starts it on the same
 * data and ports.
 */
public final class TestServer implements AutoCloseable {
    private final ServerConfig config;
    private final Clock clock;
    private final Optional<ArtifactLookup> artifacts;
    private TsunaguServer server;

    /** {@code artifacts}: what rollouts resolve artifacts with; empty means the server's own artifact store. */
    private TestServer(ServerConfig config, Clock clock, Optional<ArtifactLookup> artifacts) {
        this.config = config;
        this.clock = clock;
        this.artifacts = artifacts;
        this.server = boot();
    }

    private TsunaguServer boot() {
        return artifacts.isPresent()
                ? TsunaguServer.start(config, clock, artifacts.get())
                : TsunaguServer.start(config, clock);
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, c -> c);
    }

    /**
     * Starts with defaults on free loopback ports, adjusted by {@code customize}; rollouts resolve artifacts in the
     * server's own store, as in production.
     */
    public static TestServer start(Path dataDir, UnaryOperator<ServerConfig> customize) {
        return new TestServer(customize.apply(defaultConfig(dataDir)), Clock.systemUTC(), Optional.empty());
    }

    /** Starts with a clock and the artifacts rollout distributions may name. */
    public static TestServer start(
            Path dataDir, UnaryOperator<ServerConfig> customize, Clock clock, ArtifactLookup artifacts) {
        ServerConfig config = defaultConfig(dataDir);
        return new TestServer(customize.apply(config), clock, Optional.of(artifacts));
    }

    private static ServerConfig defaultConfig(Path dataDir) {
        return ServerConfig.defaults(dataDir)
                .withPorts("127.0.0.1", freePort(), freePort())
                .withHttpsPort(freePort())
                .withIngest(new IngestConfig(64 * 1024, 0, 0, 200_000));
    }

    public TsunaguServer server() {
        return server;
    }

    public ServerConfig config() {
        return config;
    }

    public int mqttPort() {
        return server.mqttPort();
    }

    public int httpPort() {
        return server.httpPort();
    }

    /** The REST API's HTTPS port (on in every test server). */
    public int httpsPort() {
        return server.httpsPort().orElseThrow();
    }

    public String adminToken() {
        return server.adminToken();
    }

    /** Registers a car owned by {@code owner} and returns its credentials. */
    public IssuedCredentials register(Vin vin, String owner) {
        return server.provisioning()
                .register(vin, "Test EV", owner, Set.of("test"))
                .credentials();
    }

    public ApiCalls api(String token) {
        return new ApiCalls(httpPort(), token);
    }

    public ApiCalls adminApi() {
        return api(adminToken());
    }

    /** Stops and starts again on the same data directory and ports (a clean restart). */
    public void restart() {
        stop();
        startAgain();
    }

    /** Stops the server, as an outage a car would see; {@link #startAgain()} brings it back. */
    public void stop() {
        server.close();
    }

    /** Starts a stopped server again on the same data directory and ports. */
    public void startAgain() {
        server = boot();
    }

    @Override
    public void close() {
        server.close();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
