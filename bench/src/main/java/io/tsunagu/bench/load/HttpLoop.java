package io.tsunagu.bench.load;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A closed loop of {@code clients} concurrent HTTP clients (virtual threads) against the child server for a fixed
 * time: each sends a request, waits for the whole answer, and sends the next. Counts answers with the expected status
 * and the body bytes received.
 */
final class HttpLoop {
    private HttpLoop() {}

    static Measurement run(
            ChildServer server,
            String target,
            int clients,
            int durationS,
            int expectedStatus,
            Supplier<HttpRequest> requests) {
        Latencies latencies = new Latencies();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder bytes = new LongAdder();
        long deadline = System.nanoTime() + Duration.ofSeconds(durationS).toNanos();
        MeasuredInterval interval = MeasuredInterval.start(server.meter());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        once(server, requests.get(), expectedStatus, latencies, ok, failed, bytes);
                    }
                });
            }
        }
        MeasuredInterval.Snapshot snapshot = interval.stop();
        Map<String, Double> extras = new LinkedHashMap<>();
        extras.put("MiBPerS", bytes.sum() / (1024.0 * 1024.0) / snapshot.seconds());
        extras.put("clients", (double) clients);
        return Measurement.of(target, "request", snapshot, ok.sum(), failed.sum(), 0, 0, latencies, extras);
    }

    private static void once(
            ChildServer server,
            HttpRequest request,
            int expectedStatus,
            Latencies latencies,
            LongAdder ok,
            LongAdder failed,
            LongAdder bytes) {
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = server.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == expectedStatus) {
                latencies.record(System.nanoTime() - started);
                ok.increment();
                bytes.add(response.body().length);
            } else {
                failed.increment();
            }
        } catch (IOException e) {
            failed.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.increment();
        }
    }
}
