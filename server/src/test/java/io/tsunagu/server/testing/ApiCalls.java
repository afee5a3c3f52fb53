package io.tsunagu.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

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
