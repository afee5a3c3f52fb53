package io.tsunagu.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tsunagu server under test, in its own JVM so that its CPU and memory are measured apart from the generator's.
 * Its output goes to {@code server.log} next to its data directory.
 */
final class ChildServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildServer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path dataDir;
    private final Path logFile;
    private final int mqttPort;
    private final int httpPort;
    private final HttpClient http;
    private final String adminToken;
    private final Duration stopTimeout;

    private ChildServer(Process process, Path dataDir, Path logFile, int mqttPort, int httpPort, Duration stopTimeout) {
        this.process = process;
        this.stopTimeout = stopTimeout;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.mqttPort = mqttPort;
        this.httpPort = httpPort;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        awaitHealthy();
        this.adminToken = readAdminToken();
    }

    /** Starts the server in {@code workDir/server-data} and returns once {@code /health} answers. */
    static ChildServer start(ServerLauncher launcher, Path workDir) {
        Path dataDir = workDir.resolve("server-data");
        Path logFile = workDir.resolve("server.log");
        int mqttPort = FreePorts.next();
        int httpPort = FreePorts.next();
        List<String> command = launcher.command(dataDir, mqttPort, httpPort);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            LOG.info("Started server under test, pid {}, log {}", process.pid(), logFile);
            return new ChildServer(process, dataDir, logFile, mqttPort, httpPort, launcher.stopTimeout());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the server under test: " + command, e);
        }
    }

    int mqttPort() {
        return mqttPort;
    }

    int httpPort() {
        return httpPort;
    }

    ProcessMeter meter() {
        return new ProcessMeter(process.pid());
    }

    HttpClient http() {
        return http;
    }

    String adminToken() {
        return adminToken;
    }

    /** The server's data directory (the DDI gateway token is read from it). */
    Path dataDir() {
        return dataDir;
    }

    /** The fleet CA certificate, the server's TLS certificate and key: Mosquitto presents the same identity. */
    Path caDirectory() {
        return dataDir.resolve("ca");
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** POSTs JSON with the admin token and returns the parsed answer; fails unless the status is 2xx. */
    JsonNode post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        "POST " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last lines of the server's output, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the server under test exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (healthy()) {
                return;
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("the server under test did not answer /health within " + START_TIMEOUT);
    }

    private boolean healthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri("/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String readAdminToken() {
        try {
            return Files.readString(dataDir.resolve("admin.token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no admin token in " + dataDir, e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after the launcher's stop timeout, 20 s unless training). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
