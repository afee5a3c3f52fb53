package io.tsunagu.server.ingest.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.tsunagu.server.observe.Metrics;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed TLS handshakes in {@code tsunagu_mqtt_tls_handshake_failures_total} (no certificate, a certificate of
 * another CA, an expired one, a port scan) and logs them with the remote address and the reason, at most one WARN per
 * {@value #LOG_INTERVAL_MS} ms with the number left out since (a storm of bad clients must not flood the log).
 * Successful handshakes are counted by kind in {@code tsunagu_mqtt_tls_handshakes_total} ({@code full}, {@code
 * resumed} from a session ticket; {@code unknown} on the JDK provider). After a successful handshake it starts the
 * CONNECT timeout and removes itself from the pipeline.
 */
@ChannelHandler.Sharable
final class HandshakeFailures extends ChannelInboundHandlerAdapter {
    static final long LOG_INTERVAL_MS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeFailures.class);

    private final LongAdder failures;
    private final Map<GatewayResumption.Kind, LongAdder> handshakes = new EnumMap<>(GatewayResumption.Kind.class);
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_MS * 2_000_000);
    private final AtomicLong unlogged = new AtomicLong();

    HandshakeFailures(Metrics metrics) {
        this.failures = metrics.counter(
                "tsunagu_mqtt_tls_handshake_failures_total", "TLS handshakes on the MQTT port that failed");
        for (GatewayResumption.Kind kind : GatewayResumption.Kind.values()) {
            handshakes.put(
                    kind,
                    metrics.counter(
                            "tsunagu_mqtt_tls_handshakes_total",
                            "Completed TLS handshakes on the MQTT port: full, resumed (session ticket) or unknown (JDK)",
                            "kind",
                            kind.name().toLowerCase(Locale.ROOT)));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (ssl != null) {
                    handshakes.get(GatewayResumption.kind(ssl.engine())).increment();
                }
                // The CONNECT timeout starts now, not while the handshake waited its turn in a storm.
                ctx.pipeline()
                        .addBefore(
                                ConnectHandler.NAME,
                                ConnectHandler.IDLE,
                                new IdleStateHandler(ConnectHandler.CONNECT_TIMEOUT_S, 0, 0));
                ctx.pipeline().remove(this);
            } else {
                failed(ctx, completion.cause());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        failures.increment();
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= LOG_INTERVAL_MS * 1_000_000 && lastLogNanos.compareAndSet(last, now)) {
            long skipped = unlogged.getAndSet(0);
            LOG.warn(
                    "TLS handshake from {} failed: {}{}",
                    ctx.channel().remoteAddress(),
                    cause.getMessage(),
                    skipped == 0 ? "" : " (" + skipped + " more failures not logged in the last interval)");
        } else {
            unlogged.incrementAndGet();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The SslHandler reports the handshake failure as an event too (counted above); just close.
        ctx.close();
    }
}
