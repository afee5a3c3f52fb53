package io.tsunagu.agent.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.tsunagu.agent.TestPki;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.RepositorySigner;
import io.tsunagu.protocol.update.Role;
import io.tsunagu.protocol.update.RoleKeyring;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.SigningKey;
import io.tsunagu.protocol.update.TargetInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small stand-in for the cloud's car-facing HTTPS API over real TLS with client certificates: the hawkBit DDI
 * controller resources for one car and one open action, Uptane image and director metadata signed by a real {@link
 * RepositorySigner}, and artifact downloads with HTTP Range, which can cut a download part-way or serve other bytes
 * than the signed ones.
 */
final class FakeUpdateCloud implements AutoCloseable {
    static final String TENANT = "DEFAULT";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Vin vin;
    final RepositorySigner director = RepositorySigner.create(keys(), days(365));
    final RepositorySigner image = RepositorySigner.create(keys(), days(365));
    private final List<JsonNode> feedback = new CopyOnWriteArrayList<>();
    private final List<JsonNode> cancelFeedback = new CopyOnWriteArrayList<>();
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();
    private final Map<String, TargetInfo> imageTargets = new TreeMap<>();
    private final Map<String, byte[]> served = new TreeMap<>();
    private final HttpsServer server;
    private volatile Optional<Offer> open = Optional.empty();
    private volatile boolean canceling;
    private volatile long cutAfterBytes = -1;

    /** What the open action brings. */
    record Offer(long actionId, String module, String version, String sha256, long lengthBytes) {}

    FakeUpdateCloud(TestPki pki, Path dir, Vin vin) throws Exception {
        this.vin = vin;
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("trust.p12");
        pki.writeServerStores(keyStore, trustStore);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext tls = serverContext(keyStore, trustStore);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                params.setNeedClientAuth(true);
            }
        });
        server.createContext("/", this::handle);
        server.start();
    }

    URI origin() {
        return URI.create("https://localhost:" + server.getAddress().getPort());
    }

    byte[] directorRoot() {
        return director.root().toJsonBytes();
    }

    byte[] imageRoot() {
        return image.root().toJsonBytes();
    }

    /** Releases {@code content} for {@code hardwareId} at {@code releaseCounter} in the image repository. */
    TargetInfo release(String name, byte[] content, String hardwareId, long releaseCounter) {
        TargetInfo target =
                TargetInfo.image(name, content.length, TestImages.sha256(content), List.of(hardwareId), releaseCounter);
        imageTargets.put(name, target);
        served.put(target.sha256().orElseThrow(), content);
        image.publish(imageTargets.values(), days(30), days(7), days(1));
        return target;
    }

    /** The director assigns {@code released} to the car's ECU {@code serial} claiming {@code hardwareId}. */
    void assign(TargetInfo released, String serial, String hardwareId) {
        director.publish(
                List.of(TargetInfo.director(
                        released.name(),
                        released.lengthBytes(),
                        released.sha256().orElseThrow(),
                        Map.of(serial, hardwareId))),
                days(30),
                days(7),
                days(1));
    }

    /** Opens an action naming {@code released} as module {@code module} at {@code version}. */
    void offer(long actionId, TargetInfo released, String module, String version) {
        canceling = false;
        open = Optional.of(
                new Offer(actionId, module, version, released.sha256().orElseThrow(), released.lengthBytes()));
    }

    /** Asks the car to cancel the open action. */
    void requestCancel() {
        canceling = true;
    }

    /** Serves {@code bytes} instead of the released content for that SHA-256 (a tampered mirror). */
    void serveInstead(String sha256, byte[] bytes) {
        served.put(sha256, bytes);
    }

    /** The next artifact download stops after this many bytes (then the connection is closed). */
    void cutNextDownloadAfter(long bytes) {
        cutAfterBytes = bytes;
    }

    Optional<Offer> open() {
        return open;
    }

    List<JsonNode> cancelFeedback() {
        return cancelFeedback;
    }

    /** The Range headers of artifact requests. */
    List<String> ranges() {
        return ranges;
    }

    AtomicInteger polls() {
        return polls;
    }

    /** The {@code status.execution} of each deployment feedback, in arrival order. */
    List<String> executions() {
        return feedback.stream()
                .map(f -> f.path("status").path("execution").asText())
                .toList();
    }

    Optional<JsonNode> closed() {
        return feedback.stream()
                .filter(f -> f.path("status").path("execution").asText().equals("closed"))
                .findFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String controller = "/" + TENANT + "/controller/v1/" + vin.value();
            if (path.startsWith(controller)) {
                ddi(exchange, path.substring(controller.length()));
            } else if (path.startsWith("/api/v1/uptane/image/")) {
                metadata(exchange, image, path.substring("/api/v1/uptane/image/".length()));
            } else if (path.startsWith("/api/v1/uptane/director/" + vin.value() + "/")) {
                metadata(exchange, director, path.substring(("/api/v1/uptane/director/" + vin.value() + "/").length()));
            } else if (path.startsWith("/artifacts/")) {
                artifact(exchange, path.substring("/artifacts/".length()));
            } else {
                send(exchange, 404, "{\"code\":\"not_found\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void ddi(HttpExchange exchange, String rest) throws IOException {
        Optional<Offer> offer = open;
        if (rest.isEmpty()) {
            polls.incrementAndGet();
            ObjectNode body = MAPPER.createObjectNode();
            body.putObject("config").putObject("polling").put("sleep", "00:05:00");
            ObjectNode links = body.putObject("_links");
            offer.ifPresent(o -> links.putObject(canceling ? "cancelAction" : "deploymentBase")
                    .put(
                            "href",
                            origin() + "/" + TENANT + "/controller/v1/" + vin.value() + "/"
                                    + (canceling ? "cancelAction/" : "deploymentBase/") + o.actionId() + "?c=-1"));
            send(exchange, 200, MAPPER.writeValueAsBytes(body));
        } else if (rest.matches("/deploymentBase/\\d+")
                && exchange.getRequestMethod().equals("GET")) {
            Offer o = offer.filter(x -> rest.endsWith("/" + x.actionId())).orElse(null);
            if (o == null) {
                send(exchange, 404, new byte[0]);
                return;
            }
            send(exchange, 200, MAPPER.writeValueAsBytes(deploymentBase(o)));
        } else if (rest.matches("/deploymentBase/\\d+/feedback")) {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            if (canceling) {
                send(exchange, 409, "{\"code\":\"action_canceling\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            feedback.add(body);
            if (body.path("status").path("execution").asText().equals("closed")) {
                open = Optional.empty();
            }
            send(exchange, 200, new byte[0]);
        } else if (rest.matches("/cancelAction/\\d+/feedback")) {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            cancelFeedback.add(body);
            String execution = body.path("status").path("execution").asText();
            canceling = false;
            if (execution.equals("canceled")) {
                open = Optional.empty();
            }
            send(exchange, 200, new byte[0]);
        } else {
            send(exchange, 404, new byte[0]);
        }
    }

    private ObjectNode deploymentBase(Offer o) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("id", Long.toString(o.actionId()));
        ObjectNode deployment = body.putObject("deployment");
        deployment.put("download", "forced").put("update", "forced");
        ObjectNode chunk = deployment.putArray("chunks").addObject();
        chunk.put("part", "os").put("version", o.version()).put("name", o.module());
        ObjectNode artifact = chunk.putArray("artifacts").addObject();
        artifact.put("filename", o.module() + ".img").put("size", o.lengthBytes());
        artifact.putObject("hashes").put("sha256", o.sha256()).put("sha1", "00").put("md5", "00");
        artifact.putObject("_links").putObject("download").put("href", origin() + "/artifacts/" + o.sha256());
        return body;
    }

    private void metadata(HttpExchange exchange, RepositorySigner repo, String file) throws IOException {
        Optional<SignedMetadata> meta;
        if (file.endsWith(".root.json")) {
            long version = Long.parseLong(file.substring(0, file.indexOf('.')));
            meta = repo.rootsAfter(version - 1).stream()
                    .filter(r -> r.version() == version)
                    .findFirst();
        } else {
            meta = repo.current().map(p -> switch (file) {
                case "timestamp.json" -> p.timestamp();
                case "snapshot.json" -> p.snapshot();
                default -> p.targets();
            });
        }
        send(
                exchange,
                meta.isPresent() ? 200 : 404,
                meta.map(SignedMetadata::toJsonBytes).orElse(new byte[0]));
    }

    private void artifact(HttpExchange exchange, String sha256) throws IOException {
        byte[] content = served.get(sha256);
        if (content == null) {
            send(exchange, 404, new byte[0]);
            return;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            ranges.add(range);
            from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            exchange.getResponseHeaders()
                    .add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        exchange.sendResponseHeaders(range == null ? 200 : 206, content.length - from);
        long cut = cutAfterBytes;
        cutAfterBytes = -1;
        int end = cut < 0 ? content.length : (int) Math.min(content.length, from + cut);
        OutputStream out = exchange.getResponseBody();
        out.write(content, from, end - from);
        out.flush(); // closing the exchange short of the announced length cuts the connection
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static SSLContext serverContext(Path keyStore, Path trustStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, TestPki.STORE_PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            trust.load(in, TestPki.STORE_PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, TestPki.STORE_PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static Map<Role, RoleKeyring> keys() {
        Map<Role, RoleKeyring> keys = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            keys.put(role, RoleKeyring.single(SigningKey.ed25519()));
        }
        return keys;
    }

    private static Instant days(int n) {
        return Instant.now().plus(Duration.ofDays(n));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
