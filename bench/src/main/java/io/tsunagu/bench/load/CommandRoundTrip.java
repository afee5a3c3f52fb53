package io.tsunagu.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.CommandState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One timed request against the server under test, the way an API client sees it: a command round trip or a plain
 * {@code GET /health}. For a command it first opens the car's command stream ({@code GET
 * /api/v1/vehicles/{vin}/commands/stream}, Server-Sent Events) and waits for its opening comment, so the server is
 * watching; then it starts the clock, sends {@code POST /api/v1/vehicles/{vin}/commands} and reads events until the
 * command's state is final. The stream shows each state change as soon as it is stored, so the figure is exact and
 * costs the server one extra request per command (polling {@code GET .../commands/{id}} every few ms would load the
 * shared machine with thousands of requests a second and skew what it measures).
 */
final class CommandRoundTrip {
    /** A command not final by then counts as {@value #TIMED_OUT}; the car's default time to live is longer. */
    static final long GIVE_UP_MS = 30_000;

    static final String TIMED_OUT = "timed_out";
    static final String HTTP_ERROR = "http_error";
    static final String OK = "ok";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DATA = "data:";

    private final ChildServer server;

    /**
     * What one round trip ended as.
     *
     * @param state a final command state code ({@code executed}, {@code failed}, ...), {@value #TIMED_OUT}, {@value
     *     #HTTP_ERROR}, or {@value #OK} for {@code /health}
     * @param nanos from sending the request to the answer (for a command: the event) that showed {@code state}
     * @param stagesMs where the time went, ms, by stage name: the {@code POST}'s answer ({@code post}) and, from the
     *     server's own timestamps of a command that reached the car, stored → published ({@code queuedToSent}),
     *     published → the car verified it ({@code sentToDelivered}) and → its result was stored ({@code
     *     deliveredToFinished}); empty for {@code /health}
     */
    record Outcome(String state, long nanos, Map<String, Double> stagesMs) {
        Outcome {
            stagesMs = Map.copyOf(stagesMs);
        }

        Outcome(String state, long nanos) {
            this(state, nanos, Map.of());
        }
    }

    CommandRoundTrip(ChildServer server) {
        this.server = server;
    }

    /** Sends {@code action} (no parameters) to {@code vin} and follows its state until final. */
    Outcome command(Vin vin, String action) {
        String path = "/api/v1/vehicles/" + vin + "/commands";
        HttpResponse<Stream<String>> stream;
        try {
            stream = server.http().send(authorized(path + "/stream").build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            return new Outcome(HTTP_ERROR, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(HTTP_ERROR, 0);
        }
        try (Stream<String> lines = stream.body()) {
            Iterator<String> events = lines.iterator();
            if (stream.statusCode() != 200 || !awaitOpened(events)) {
                return new Outcome(HTTP_ERROR, 0);
            }
            return follow(path, action, events);
        } catch (UncheckedIOException e) {
            return new Outcome(HTTP_ERROR, 0);
        }
    }

    /** The stream opens with a comment, written once the server watches the car. */
    private static boolean awaitOpened(Iterator<String> events) {
        while (events.hasNext()) {
            if (events.next().startsWith(":")) {
                return true;
            }
        }
        return false;
    }

    private Outcome follow(String path, String action, Iterator<String> events) {
        long started = System.nanoTime();
        String id;
        try {
            id = server.post(path, "{\"action\":\"" + action + "\"}").path("id").asText();
        } catch (RuntimeException e) {
            return new Outcome(HTTP_ERROR, System.nanoTime() - started);
        }
        double postMs = (System.nanoTime() - started) / 1e6;
        long giveUp = started + Duration.ofMillis(GIVE_UP_MS).toNanos();
        // The server writes a keep-alive comment every 15 s, so a silent stream still returns here to check the time.
        while (System.nanoTime() < giveUp && events.hasNext()) {
            String line = events.next();
            if (!line.startsWith(DATA)) {
                continue;
            }
            JsonNode command = json(line.substring(DATA.length()));
            if (!command.path("id").asText().equals(id)) {
                continue; // another client's command to the same car
            }
            CommandState state = CommandState.fromCode(command.path("state").asText());
            if (state.isFinal()) {
                return new Outcome(state.code(), System.nanoTime() - started, stages(postMs, command));
            }
        }
        return new Outcome(TIMED_OUT, System.nanoTime() - started);
    }

    private static Map<String, Double> stages(double postMs, JsonNode command) {
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("post", postMs);
        List<String> fields = List.of("createdAt", "sentAt", "deliveredAt", "finishedAt");
        List<String> names = List.of("queuedToSent", "sentToDelivered", "deliveredToFinished");
        for (int i = 0; i < names.size(); i++) {
            JsonNode from = command.path(fields.get(i));
            JsonNode to = command.path(fields.get(i + 1));
            if (from.isTextual() && to.isTextual()) {
                Duration stage = Duration.between(Instant.parse(from.asText()), Instant.parse(to.asText()));
                stages.put(names.get(i), stage.toNanos() / 1e6);
            }
        }
        return stages;
    }

    /** {@code GET /health}, the reference round trip through the same HTTP stack. */
    Outcome health() {
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response =
                    server.http().send(authorized("/health").build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Outcome(response.statusCode() == 200 ? OK : HTTP_ERROR, System.nanoTime() - started);
        } catch (IOException e) {
            return new Outcome(HTTP_ERROR, System.nanoTime() - started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(HTTP_ERROR, System.nanoTime() - started);
        }
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + server.adminToken());
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }
}
