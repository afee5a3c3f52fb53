package io.tsunagu.bench.load;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A closed loop of {@code clients} concurrent HTTP/1.1 clients (virtual threads) against the child server: each sends a
 * GET, reads the whole answer, and sends the next on the same keep-alive connection; no pipelining. A short unmeasured
 * warm-up runs first (JIT of both sides, connections opened), then the measured interval. Counts answers with the
 * expected status and the body bytes received.
 *
 * <p>The client is Helidon's blocking {@link Http1Client}: it writes and reads the socket on the calling virtual
 * thread. {@code java.net.http.HttpClient} hands every exchange to its selector thread and back through futures, which
 * here cost more CPU per request than the server spent answering it, so the generator, not the server, set the rate.
 */
final class HttpLoop {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One GET: a path on the server and the {@code Authorization} header's value (empty for none). */
    record Get(String path, String authorization) {}

    private HttpLoop() {}

    /** Runs the loop for {@code warmupMs} unmeasured: JIT of both sides, connections opened. */
    static void warmUp(ChildServer server, int clients, long warmupMs, Supplier<Get> requests) {
        Http1Client client = client(server, clients);
        long deadline = System.nanoTime() + Duration.ofMillis(warmupMs).toNanos();
        loop(client, clients, deadline, 0, requests, new Counters());
        client.closeResource();
    }

    /** Warms up for {@code warmupMs} (may be 0), then measures {@code durationS} seconds. */
    static Measurement run(
            ChildServer server,
            String target,
            int clients,
            long warmupMs,
            int durationS,
            int expectedStatus,
            Supplier<Get> requests) {
        warmUp(server, clients, warmupMs, requests);
        Http1Client client = client(server, clients);
        Counters counters = new Counters();
        long deadline = System.nanoTime() + Duration.ofSeconds(durationS).toNanos();
        MeasuredInterval interval = MeasuredInterval.start(server.meter());
        loop(client, clients, deadline, expectedStatus, requests, counters);
        MeasuredInterval.Snapshot snapshot = interval.stop();
        client.closeResource();
        Map<String, Double> extras = new LinkedHashMap<>();
        extras.put("MiBPerS", counters.bytes.sum() / (1024.0 * 1024.0) / snapshot.seconds());
        extras.put("clients", (double) clients);
        return Measurement.of(
                target,
                "request",
                snapshot,
                counters.ok.sum(),
                counters.failed.sum(),
                0,
                0,
                counters.latencies,
                extras);
    }

    private static Http1Client client(ChildServer server, int clients) {
        return Http1Client.builder()
                .baseUri(server.uri("/"))
                .readTimeout(TIMEOUT)
                .connectTimeout(TIMEOUT)
                .shareConnectionCache(false)
                .connectionCacheSize(clients * 2)
                .build();
    }

    private static final class Counters {
        final Latencies latencies = new Latencies();
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder bytes = new LongAdder();
    }

    private static void loop(
            Http1Client client,
            int clients,
            long deadlineNanos,
            int expectedStatus,
            Supplier<Get> requests,
            Counters counters) {
        try (ExecutorService pool = Executors.newFixedThreadPool(
                clients, Thread.ofPlatform().name("bench-http-", 0).daemon(true).factory())) {
            for (int i = 0; i < clients; i++) {
                pool.submit(() -> {
                    byte[] buffer = new byte[64 * 1024];
                    while (System.nanoTime() < deadlineNanos) {
                        once(client, requests.get(), expectedStatus, counters, buffer);
                    }
                });
            }
        }
    }

    private static void once(Http1Client client, Get get, int expectedStatus, Counters counters, byte[] buffer) {
        Http1ClientRequest request = client.get(get.path());
        if (!get.authorization().isEmpty()) {
            request.header(HeaderNames.AUTHORIZATION, get.authorization());
        }
        long started = System.nanoTime();
        try (Http1ClientResponse response = request.request();
                InputStream body = response.inputStream()) {
            long bytes = drain(body, buffer);
            if (response.status().code() == expectedStatus) {
                counters.latencies.record(System.nanoTime() - started);
                counters.ok.increment();
                counters.bytes.add(bytes);
            } else {
                counters.failed.increment();
            }
        } catch (java.io.IOException | UncheckedIOException | IllegalStateException e) {
            counters.failed.increment();
        }
    }

    /** Reads the body to its end (so the connection can be reused) without keeping it. */
    private static long drain(InputStream in, byte[] buffer) throws java.io.IOException {
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
        }
        return total;
    }
}
