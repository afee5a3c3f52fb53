package io.tsunagu.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.TsunaguException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A small client of the REST API for the command line: bearer token, JSON in and out, errors as exceptions. */
final class ApiClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI base;
    private final String token;

    ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body))));
        } catch (IOException e) {
            throw new TsunaguException("invalid_request", "cannot encode request: " + e.getMessage(), false, e);
        }
    }

    /**
     * Streams a file as the raw body of a POST ({@code Content-Length} from the file). No request timeout: a
     * multi-gigabyte image takes as long as the link needs.
     */
    JsonNode postFile(String pathAndQuery, Path file) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(file));
            return sendAuthorized(request.header("Authorization", "Bearer " + token));
        } catch (FileNotFoundException e) {
            throw new TsunaguException("file_not_found", "cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    private JsonNode send(HttpRequest.Builder request) {
        return sendAuthorized(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)));
    }

    private JsonNode sendAuthorized(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TsunaguException("unreachable", "cannot reach the Tsunagu API at " + base + ": " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TsunaguException("interrupted", "interrupted", true, e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw new TsunaguException(
                    body.path("code").asText("http_" + response.statusCode()),
                    "HTTP " + response.statusCode() + ": "
                            + body.path("message").asText(""),
                    response.statusCode() >= 500);
        }
        return body;
    }

    private JsonNode parse(byte[] bytes) {
        try {
            return bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
