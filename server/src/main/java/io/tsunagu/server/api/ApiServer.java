package io.tsunagu.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.server.fleet.ApiUsers;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.ServerIdentity;
import io.tsunagu.server.observe.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: authentication, error mapping, and the routes of each capability. Handlers run on virtual threads
 * (Helidon SE 4), so they may block on storage. The same routes are served on plain HTTP and, if configured, on an
 * HTTPS listener with the server's certificate from the fleet CA, where a client certificate is optional (cars and
 * hawkBit clients download over HTTPS; a car may later authenticate with its certificate).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    static final String JSON = "application/json";

    /**
     * {@code Content-Type: application/json} with its bytes prepared once (Helidon's cached header): every JSON answer
     * sends the same header line, without formatting it per request.
     */
    static final Header JSON_CONTENT_TYPE = HeaderValues.CONTENT_TYPE_JSON;

    /** Name of the HTTPS listener (Helidon's named socket). */
    static final String HTTPS_SOCKET = "https";

    /** System property: Helidon's write queue length per connection (see {@link #writeQueueLength()}). */
    static final String WRITE_QUEUE_PROPERTY = "tsunagu.api.writeQueueLength";

    static final int DEFAULT_WRITE_QUEUE = 0;

    /**
     * An HTTPS listener on the API server's host.
     *
     * @param port TCP port; 0 picks a free one
     * @param identity the server certificate and key (fleet CA); its CA also verifies optional client certificates
     */
    public record HttpsListener(int port, ServerIdentity identity) {}

    /** A group of routes of one capability. */
    public interface Routes {
        void register(HttpRouting.Builder routing, ApiServer api);
    }

    private final ObjectMapper mapper;
    private final ApiUsers users;
    private final Metrics metrics;
    private final LongAdder clientErrors;
    private final LongAdder serverErrors;
    private final WebServer server;
    private final String host;
    private final byte[] openApi;
    private final boolean https;

    public ApiServer(String host, int port, ObjectMapper mapper, ApiUsers users, Metrics metrics, List<Routes> routes) {
        this(host, port, Optional.empty(), mapper, users, metrics, routes);
    }

    public ApiServer(
            String host,
            int port,
            Optional<HttpsListener> httpsListener,
            ObjectMapper mapper,
            ApiUsers users,
            Metrics metrics,
            List<Routes> routes) {
        this.mapper = mapper;
        this.host = host;
        this.users = users;
        this.metrics = metrics;
        this.clientErrors = metrics.counter("tsunagu_api_client_errors_total", "API requests answered with 4xx");
        this.serverErrors = metrics.counter("tsunagu_api_server_errors_total", "API requests answered with 5xx");
        this.openApi = resource("openapi.yaml");
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.get(
                "/openapi.yaml",
                (req, res) ->
                        res.header(HeaderNames.CONTENT_TYPE, "application/yaml").send(openApi));
        routing.get(
                "/metrics",
                (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4")
                        .send(metrics.render()));
        // A constant document, rendered once: the static baseline of the twin-read bench (issue 3).
        byte[] health = "{\"status\":\"up\"}".getBytes(StandardCharsets.US_ASCII);
        routing.get("/health", (req, res) -> res.header(JSON_CONTENT_TYPE).send(health));
        routes.forEach(r -> r.register(routing, this));
        routing.error(ApiException.class, (req, res, e) -> sendError(res, e.status(), e.code(), e.getMessage()));
        routing.error(TsunaguException.class, (req, res, e) -> sendError(res, statusOf(e), e.code(), e.getMessage()));
        routing.error(Exception.class, (req, res, e) -> {
            LOG.error(
                    "API request {} {} failed",
                    req.prologue().method(),
                    req.path().rawPath(),
                    e);
            sendError(res, 500, "internal_error", "internal error; see the server log");
        });
        routing.any((req, res) -> sendError(
                res,
                404,
                "not_found",
                "no route " + req.prologue().method() + " " + req.path().rawPath()));
        int writeQueue = writeQueueLength();
        var builder = WebServer.builder()
                .host(host)
                .port(port)
                .writeQueueLength(writeQueue)
                .routing(routing);
        httpsListener.ifPresent(listener -> builder.putSocket(
                HTTPS_SOCKET,
                socket -> socket.host(host)
                        .writeQueueLength(writeQueue)
                        .port(listener.port())
                        .tls(tls(listener.identity()))
                        .routing(routing)));
        this.https = httpsListener.isPresent();
        this.server = builder.build();
    }

    /**
     * Helidon's write queue per connection ({@value #WRITE_QUEUE_PROPERTY}, default {@value #DEFAULT_WRITE_QUEUE}):
     * above 1, a connection's answers are queued to a writer thread that sends all queued answers in one socket
     * write, so the answers of pipelined requests share a write; 0 or 1 writes each answer from the handler's thread.
     * Off by default: Helidon's queued writer fails a connection whose queue stays full for 10 s, so a client that
     * pauses reading a large download that long loses it, where a direct write waits (docs/architecture.md, "Twin
     * reads: the request's own cost").
     */
    static int writeQueueLength() {
        String value = System.getProperty(WRITE_QUEUE_PROPERTY, String.valueOf(DEFAULT_WRITE_QUEUE))
                .strip();
        try {
            int length = Integer.parseInt(value);
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(WRITE_QUEUE_PROPERTY + " must be a whole number >= 0, got " + value);
    }

    private static Tls tls(ServerIdentity identity) {
        return Tls.builder()
                .privateKey(identity.privateKey())
                .privateKeyCertChain(identity.chain())
                .trust(List.of(identity.caCertificate()))
                .clientAuth(TlsClientAuth.OPTIONAL)
                .build();
    }

    public ApiServer start() {
        server.start();
        LOG.info("REST API listening on http://{}:{}/api/v1 (OpenAPI at /openapi.yaml)", host, port());
        httpsPort().ifPresent(p -> LOG.info("REST API listening on https://{}:{}/api/v1", host, p));
        return this;
    }

    public int port() {
        return server.port();
    }

    /** The HTTPS listener's port, if one is configured. */
    public OptionalInt httpsPort() {
        return https ? OptionalInt.of(server.port(HTTPS_SOCKET)) : OptionalInt.empty();
    }

    /** The authenticated caller; 401 if the bearer token is missing or unknown. */
    public Principal principal(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "unauthenticated", "missing 'Authorization: Bearer <token>' header");
        }
        return users.authenticate(header.get().substring(7).trim())
                .orElseThrow(() -> new ApiException(401, "unauthenticated", "unknown or revoked API token"));
    }

    /** Parses a JSON request body into an object node; 400 with the parser's position if it is not JSON. */
    public ObjectNode body(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            var node = mapper.readTree(in);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("invalid_body", "request body must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", "request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public Metrics metrics() {
        return metrics;
    }

    public void sendJson(ServerResponse res, int status, Object body) {
        try {
            res.status(Status.create(status)).header(JSON_CONTENT_TYPE).send(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON response", e);
        }
    }

    /** Answers an error as JSON {@code {"code", "message"}}, counted as a client or server error. */
    void sendError(ServerResponse res, int status, String code, String message) {
        (status >= 500 ? serverErrors : clientErrors).increment();
        ObjectNode body = mapper.createObjectNode().put("code", code).put("message", message);
        if (status == 401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        sendJson(res, status, body);
    }

    private static int statusOf(TsunaguException e) {
        String code = e.code();
        if (code.endsWith("_not_found")) {
            return 404;
        }
        if (code.endsWith("_exists") || code.endsWith("_revoked")) {
            return 409;
        }
        return e.retriable() ? 503 : 400;
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
