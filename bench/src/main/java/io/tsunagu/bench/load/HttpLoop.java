package io.tsunagu.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A closed loop of HTTP/1.1 GETs against the child server: {@code connections} keep-alive connections, each with
 * {@code depth} requests in flight (HTTP/1.1 pipelining when above 1; Helidon answers pipelined requests in order),
 * the next request sent as soon as an answer has ended. A short unmeasured warm-up runs first (JIT of both sides),
 * then the measured interval. Counts answers with the expected status and the body bytes received; a latency is the
 * time from writing a request to the end of its answer.
 *
 * <p>The client is Netty's HTTP codec on one event-loop thread, so the generator costs little CPU per request and
 * does not set the rate on the shared cores: Helidon's blocking {@code Http1Client} on a thread per connection spent
 * 125 µs per request (more than the server), {@code java.net.http.HttpClient} more still (docs/architecture.md,
 * "Twin reads measured").
 */
final class HttpLoop {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How long after the deadline the loop waits for the last answers before it closes the connections. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** One GET: a path on the server and the {@code Authorization} header's value (empty for none). */
    record Get(String path, String authorization) {}

    /** How the load is offered: {@code connections} × {@code depth} requests in flight. */
    record Shape(int connections, int depth) {
        Shape {
            if (connections < 1 || depth < 1) {
                throw new IllegalArgumentException("connections and depth must be ≥ 1: " + connections + ", " + depth);
            }
        }

        /** One request in flight per connection (no pipelining). */
        static Shape of(int connections) {
            return new Shape(connections, 1);
        }
    }

    /** What one loop counted; written on the event loop, read after it ended. */
    static final class Counters {
        final Latencies latencies = new Latencies();
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder bytes = new LongAdder();
        /** Connections that broke or that the server closed before the deadline. */
        final LongAdder brokenConnections = new LongAdder();
    }

    private HttpLoop() {}

    /** Runs the loop for {@code warmupMs} unmeasured: JIT of both sides, connections opened. */
    static void warmUp(ChildServer server, Shape shape, long warmupMs, Supplier<Get> requests) {
        loop(address(server.uri("/")), shape, Duration.ofMillis(warmupMs), 0, requests, new Counters());
    }

    /** Warms up for {@code warmupMs} (may be 0), then measures {@code durationS} seconds. */
    static Measurement run(
            ChildServer server,
            String target,
            Shape shape,
            long warmupMs,
            int durationS,
            int expectedStatus,
            Supplier<Get> requests) {
        if (warmupMs > 0) {
            warmUp(server, shape, warmupMs, requests);
        }
        Counters counters = new Counters();
        MeasuredInterval interval = MeasuredInterval.start(server.meter());
        loop(address(server.uri("/")), shape, Duration.ofSeconds(durationS), expectedStatus, requests, counters);
        MeasuredInterval.Snapshot snapshot = interval.stop();
        return measurement(target, shape, snapshot, counters);
    }

    /** A measured target of {@link #alternate}: its name in the results and the requests it sends. */
    record Target(String name, Supplier<Get> requests) {}

    /**
     * Measures the targets in turns: {@code slices} rounds, each running every target for its share of {@code
     * durationS}, so JIT still going on, a change of load on the shared machine or a slow drift favour none of them.
     * Returns one measurement per target (in the given order) over all its slices; no warm-up (call {@link #warmUp}).
     */
    static List<Measurement> alternate(
            ChildServer server, Shape shape, int durationS, int slices, int expectedStatus, List<Target> targets) {
        Duration slice = Duration.ofSeconds(durationS).dividedBy(slices);
        List<Counters> counters = targets.stream().map(t -> new Counters()).toList();
        double[] seconds = new double[targets.size()];
        long[] serverCpu = new long[targets.size()];
        long[] generatorCpu = new long[targets.size()];
        for (int round = 0; round < slices; round++) {
            for (int i = 0; i < targets.size(); i++) {
                MeasuredInterval interval = MeasuredInterval.start(server.meter());
                loop(
                        address(server.uri("/")),
                        shape,
                        slice,
                        expectedStatus,
                        targets.get(i).requests(),
                        counters.get(i));
                MeasuredInterval.Snapshot part = interval.stop();
                seconds[i] += part.seconds();
                serverCpu[i] += part.serverCpuNanos();
                generatorCpu[i] += part.generatorCpuNanos();
            }
        }
        List<Measurement> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            MeasuredInterval.Snapshot total = new MeasuredInterval.Snapshot(seconds[i], serverCpu[i], generatorCpu[i]);
            out.add(measurement(targets.get(i).name(), shape, total, counters.get(i)));
        }
        return out;
    }

    private static Measurement measurement(
            String target, Shape shape, MeasuredInterval.Snapshot snapshot, Counters counters) {
        Map<String, Double> extras = new LinkedHashMap<>();
        extras.put("MiBPerS", counters.bytes.sum() / (1024.0 * 1024.0) / snapshot.seconds());
        extras.put("connections", (double) shape.connections());
        extras.put("depth", (double) shape.depth());
        extras.put("brokenConnections", counters.brokenConnections.doubleValue());
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

    /**
     * Opens the connections, runs them until {@code duration} has passed and their last answers arrived (at most
     * {@link #DRAIN_TIMEOUT} more), and closes them. Returns when every connection is closed.
     */
    static void loop(
            InetSocketAddress server,
            Shape shape,
            Duration duration,
            int expectedStatus,
            Supplier<Get> requests,
            Counters counters) {
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            CountDownLatch closed = new CountDownLatch(shape.connections());
            long deadline = System.nanoTime() + duration.toNanos();
            String host = server.getHostString() + ":" + server.getPort();
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(new HttpClientCodec())
                                    .addLast(new HttpLoopConnection(
                                            host, shape, deadline, expectedStatus, requests, counters, closed));
                        }
                    });
            for (int i = 0; i < shape.connections(); i++) {
                bootstrap.connect(server).addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        counters.brokenConnections.increment();
                        closed.countDown();
                    }
                });
            }
            awaitClosed(closed, duration.plus(DRAIN_TIMEOUT).plus(CONNECT_TIMEOUT));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void awaitClosed(CountDownLatch closed, Duration timeout) {
        try {
            if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("HTTP connections still open " + timeout + " after the loop began");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the HTTP loop", e);
        }
    }

    private static InetSocketAddress address(URI uri) {
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }
}
