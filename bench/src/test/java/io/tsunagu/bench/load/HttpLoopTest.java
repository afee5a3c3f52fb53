package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpLoopTest {
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong wrongToken = new AtomicLong();
    private WebServer server;

    @BeforeEach
    void start() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.get("/item/{n}", (req, res) -> {
                            served.incrementAndGet();
                            if (!req.headers()
                                    .first(HeaderNames.AUTHORIZATION)
                                    .orElse("")
                                    .equals("Bearer t")) {
                                wrongToken.incrementAndGet();
                            }
                            // The body names the request, so an answer out of order would have the wrong length.
                            res.send(("item " + req.path().pathParameters().get("n")).getBytes(StandardCharsets.UTF_8));
                        })
                        .get("/missing", (req, res) -> res.status(404).send("no")))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void pipelinedGetsAreAllAnsweredOnKeepAliveConnectionsWithTheirHeadersAndBodies() {
        HttpLoop.Counters counters = new HttpLoop.Counters();
        AtomicLong sent = new AtomicLong();
        AtomicLong expectedBytes = new AtomicLong();

        HttpLoop.loop(
                address(),
                new HttpLoop.Shape(3, 4),
                Duration.ofMillis(300),
                200,
                () -> {
                    long n = sent.incrementAndGet() % 1000;
                    expectedBytes.addAndGet(("item " + n).length());
                    return new HttpLoop.Get("/item/" + n, "Bearer t");
                },
                counters);

        // Every request sent was answered (the loop drains its pipelines before closing), with the right token.
        assertThat(counters.ok.sum())
                .isEqualTo(sent.get())
                .isEqualTo(served.get())
                .isGreaterThanOrEqualTo(12);
        assertThat(counters.failed.sum()).isZero();
        assertThat(counters.brokenConnections.sum()).isZero();
        assertThat(wrongToken.get()).isZero();
        assertThat(counters.bytes.sum()).isEqualTo(expectedBytes.get());
        assertThat(counters.latencies.count()).isEqualTo(sent.get());
    }

    @Test
    void answersWithAnotherStatusThanTheExpectedOneCountAsFailedAndCarryNoLatency() {
        HttpLoop.Counters counters = new HttpLoop.Counters();
        AtomicLong sent = new AtomicLong();

        HttpLoop.loop(
                address(),
                new HttpLoop.Shape(2, 2),
                Duration.ofMillis(200),
                200,
                () -> {
                    sent.incrementAndGet();
                    return new HttpLoop.Get("/missing", "");
                },
                counters);

        assertThat(counters.failed.sum()).isEqualTo(sent.get()).isGreaterThanOrEqualTo(4);
        assertThat(counters.ok.sum()).isZero();
        assertThat(counters.latencies.count()).isZero();
    }

    private InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }
}
