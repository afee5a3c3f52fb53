package io.tsunagu.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.CommandState;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One timed request against the server under test, the way an API client sees it: a command round trip ({@code POST
 * /api/v1/vehicles/{vin}/commands}, then {@code GET .../commands/{id}} every {@value #POLL_INTERVAL_MS} ms until the
 * state is final) or a plain {@code GET /health}. The clock runs from just before the first request is sent to the
 * answer that shows the final state, so the poll interval bounds the resolution.
 */
final class CommandRoundTrip {
    static final long POLL_INTERVAL_MS = 2;
    /** A command not final by then counts as {@value #TIMED_OUT}; the car's default time to live is longer. */
    static final long GIVE_UP_MS = 30_000;

    static final String TIMED_OUT = "timed_out";
    static final String HTTP_ERROR = "http_error";
    static final String OK = "ok";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ChildServer server;

    /**
     * What one round trip ended as.
     *
     * @param state a final command state code ({@code executed}, {@code failed}, ...), {@value #TIMED_OUT}, {@value
     *     #HTTP_ERROR}, or {@value #OK} for {@code /health}
     * @param nanos from sending the first request to the answer that showed {@code state}
     * @param polls {@code GET}s of the command after the {@code POST}
     */
    record Outcome(String state, long nanos, int polls) {}

    CommandRoundTrip(ChildServer server) {
        this.server = server;
    }

    /** Sends {@code action} (no parameters) to {@code vin} and polls until its state is final. */
    Outcome command(Vin vin, String action) {
        String path = "/api/v1/vehicles/" + vin + "/commands";
        long started = System.nanoTime();
        String id;
        try {
            id = server.post(path, "{\"action\":\"" + action + "\"}").path("id").asText();
        } catch (RuntimeException e) {
            return new Outcome(HTTP_ERROR, System.nanoTime() - started, 0);
        }
        long giveUp = started + Duration.ofMillis(GIVE_UP_MS).toNanos();
        int polls = 0;
        while (System.nanoTime() < giveUp) {
            LockSupport.parkNanos(Duration.ofMillis(POLL_INTERVAL_MS).toNanos());
            polls++;
            JsonNode command = get(path + "/" + id);
            if (command.isMissingNode()) {
                return new Outcome(HTTP_ERROR, System.nanoTime() - started, polls);
            }
            CommandState state = CommandState.fromCode(command.path("state").asText());
            if (state.isFinal()) {
                return new Outcome(state.code(), System.nanoTime() - started, polls);
            }
        }
        return new Outcome(TIMED_OUT, System.nanoTime() - started, polls);
    }

    /** {@code GET /health}, the reference round trip through the same HTTP stack. */
    Outcome health() {
        long started = System.nanoTime();
        JsonNode answer = get("/health");
        return new Outcome(answer.isMissingNode() ? HTTP_ERROR : OK, System.nanoTime() - started, 0);
    }

    /** The answer's JSON, or a missing node when the request failed or was not a 200. */
    private JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + server.adminToken())
                .build();
        try {
            HttpResponse<byte[]> response = server.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? MAPPER.readTree(response.body()) : MAPPER.missingNode();
        } catch (IOException e) {
            return MAPPER.missingNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MAPPER.missingNode();
        }
    }
}
