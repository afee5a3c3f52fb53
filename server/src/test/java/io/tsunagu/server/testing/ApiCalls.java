package io.tsunagu.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Real HTTP calls to the test server's REST API. */
public final class ApiCalls {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String token;

    /** A response: status, parsed JSON body (an empty object if the body was not JSON), raw text and headers. */
    public record Response(int status, JsonNode body, String text, HttpHeaders headers) {
        /** The body's error code ({@code ""} if none). */
        public String code() {
            return body.path("code").asText("");
        }
    }

    /** An open Server-Sent Events response: its status and headers, and its lines as they arrive. */
    public static final class EventStream implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final BufferedReader reader;

        EventStream(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        public int status() {
            return response.statusCode();
        }

        public HttpHeaders headers() {
            return response.headers();
        }

        /** The next line, blocking until it arrives; empty at the end of the stream. */
        public Optional<String> nextLine() {
            try {
                return Optional.ofNullable(reader.readLine());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The data of the next event named {@code name} (blocking; callers bound the wait). */
        public Optional<String> nextEvent(String name) {
            boolean inEvent = false;
            for (Optional<String> line = nextLine(); line.isPresent(); line = nextLine()) {
                if (line.get().equals("event:" + name) || line.get().equals("event: " + name)) {
                    inEvent = true;
                } else if (inEvent && line.get().startsWith("data:")) {
                    return Optional.of(line.get().substring(5).strip());
                }
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException e) {
                // closing a stream the server may already have ended
            }
        }
    }

    ApiCalls(int port, String token) {
        this.port = port;
        this.token = token;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any method with an optional JSON body ({@code ""} sends none). */
    public Response request(String method, String path, String json) {
        HttpRequest.BodyPublisher body =
                json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .method(method, body));
    }

    /** Opens a Server-Sent Events stream; returns once the response headers arrived. */
    public EventStream stream(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Accept", "text/event-stream")
                .GET();
        if (!token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            return new EventStream(http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST with extra request headers, e.g. {@code Idempotency-Key}. */
    public Response post(String path, String json, String... headerNamesAndValues) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headerNamesAndValues.length > 0) {
            builder.headers(headerNamesAndValues);
        }
        return send(builder);
    }

    /** GET with a raw {@code Authorization} header value instead of this client's token. */
    public Response getWithAuthorization(String path, String authorization) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), authorization);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Response send(HttpRequest.Builder builder) {
        return send(builder, token.isEmpty() ? "" : "Bearer " + token);
    }

    private Response send(HttpRequest.Builder builder, String authorization) {
        if (!authorization.isEmpty()) {
            builder.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
            } catch (IOException e) {
                body = MAPPER.createObjectNode();
            }
            return new Response(response.statusCode(), body, response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
