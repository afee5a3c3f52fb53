package io.tsunagu.app;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code tsunagu server} in a child JVM, so that a test can kill it the hard way ({@code SIGKILL}: no shutdown hook,
 * no flush, no close) and start it again on the same data directory and ports. Its output is appended to one log
 * file across restarts, for the failure message.
 */
final class ServerProcess implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final Path dataDir;
    private final Path logFile;
    private final int mqttPort;
    private final int httpPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Optional<Process> process = Optional.empty();

    /** The REST answer: status and JSON body (an empty object if the body was not JSON). */
    record Response(int status, JsonNode body) {}

    ServerProcess(Path dataDir, Path logFile, int mqttPort, int httpPort) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.mqttPort = mqttPort;
        this.httpPort = httpPort;
    }

    /** Launches the child JVM and returns once {@code GET /health} answers 200. */
    void start() {
        if (process.filter(Process::isAlive).isPresent()) {
            throw new IllegalStateException("server process already running");
        }
        Process started = launch();
        process = Optional.of(started);
        await("server answering /health")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new AssertionError("server exited with " + started.exitValue() + "; log:\n" + log());
                    }
                    return healthy();
                });
    }

    private Process launch() {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "--data",
                dataDir.toString(),
                "--bind",
                "127.0.0.1",
                "--mqtt-port",
                Integer.toString(mqttPort),
                "--http-port",
                Integer.toString(httpPort),
                "--https-port",
                "0",
                // Unlimited per-car rate: the test floods one car on purpose.
                "--rate-limit",
                "0",
                // Test samples carry fixed timestamps; keep the retention job away from them.
                "--retention-days",
                "36500");
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** SIGKILL, then waits (bounded) until the process is gone. */
    void kill() {
        process.ifPresent(p -> {
            p.destroyForcibly();
            waitForExit(p);
        });
    }

    /** Sends SIGKILL without waiting: safe to call from any thread, e.g. a PUBACK callback. */
    void killNow() {
        process.ifPresent(Process::destroyForcibly);
    }

    /** Waits (bounded) until a killed process has exited. */
    void awaitExit() {
        process.ifPresent(ServerProcess::waitForExit);
    }

    private static void waitForExit(Process p) {
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("server process " + p.pid() + " did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int mqttPort() {
        return mqttPort;
    }

    String adminToken() {
        try {
            return Files.readString(dataDir.resolve("admin.token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Everything the child printed so far, for failure messages. */
    String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "(no output)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(uri("/health"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Response send(HttpRequest.Builder builder) {
        builder.timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + adminToken());
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
            return new Response(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** Kills the child if it is still running; never throws. */
    @Override
    public void close() {
        process.filter(Process::isAlive).ifPresent(p -> {
            p.destroyForcibly();
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
