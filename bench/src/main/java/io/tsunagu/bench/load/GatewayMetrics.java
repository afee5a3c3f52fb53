package io.tsunagu.bench.load;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads one of the Tsunagu server's own counters from its Prometheus endpoint ({@code /metrics}). */
final class GatewayMetrics {
    private static final String RESUMED = "tsunagu_mqtt_tls_handshakes_total{kind=\"resumed\"} ";

    private GatewayMetrics() {}

    /** TLS handshakes the gateway completed by resuming a session, so far (-1 if the endpoint cannot be read). */
    static long resumedHandshakes(ChildServer server) {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/metrics"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        try {
            String body = server.http()
                    .send(request, HttpResponse.BodyHandlers.ofString())
                    .body();
            return body.lines()
                    .filter(line -> line.startsWith(RESUMED))
                    .mapToLong(line -> (long)
                            Double.parseDouble(line.substring(RESUMED.length()).strip()))
                    .findFirst()
                    .orElse(0);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
