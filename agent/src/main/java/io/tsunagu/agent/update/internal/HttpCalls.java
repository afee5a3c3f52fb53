package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.AgentException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Blocking HTTPS calls of the update channels with one error rule: I/O faults, 5xx, 408 and 429 are retriable
 * ({@code update_server_unreachable}); 404 is an empty answer where the caller allows it; other statuses are fatal
 * ({@code update_server_refused}), with the server's JSON error body in the message.
 */
final class HttpCalls {
    static final String JSON = "application/json";
    private static final int MAX_ERROR_CHARS = 300;

    private final HttpClient http;
    private final Duration timeout;

    HttpCalls(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** GET; empty on 404. */
    Optional<byte[]> get(URI uri) {
        HttpResponse<byte[]> response =
                send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(ok(uri, response).body());
    }

    /** POST a JSON body; returns the status (2xx), throws on the others. */
    HttpResponse<byte[]> post(URI uri, byte[] json) {
        return ok(uri, send(post(uri, json, timeout)));
    }

    static HttpRequest post(URI uri, byte[] json, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AgentException("update_server_unreachable", request.uri() + ": " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("update_server_unreachable", "interrupted", true, e);
        }
    }

    static HttpResponse<byte[]> ok(URI uri, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String message =
                uri.getPath() + ": HTTP " + status + " " + body.substring(0, Math.min(body.length(), MAX_ERROR_CHARS));
        throw new AgentException(
                retriable(status) ? "update_server_unreachable" : "update_server_refused", message, retriable(status));
    }

    static boolean retriable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }
}
