package io.tsunagu.server.ingest.mqtt;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tsunagu.protocol.TsunaguException;
import java.util.Locale;

/**
 * The gateway's socket transport. Netty's native epoll transport reads the ready sockets straight from {@code
 * epoll_wait} (edge-triggered) and keeps no per-wake-up key set, where Java NIO's selector walks and allocates a set
 * of selected keys on every wake-up; with thousands of cars each sending one small message at a time that is a
 * measurable part of the per-message cost (docs/architecture.md, "The gateway's transport and PUBACK hand-off").
 */
enum GatewayTransport {
    /** Native epoll where its library loads (Linux x86_64 here), else NIO. */
    AUTO,
    /** Java NIO (the JDK's selector): every platform. */
    NIO,
    /** Netty's native epoll; the gateway does not start if the native library is missing. */
    EPOLL;

    /** System property that overrides the default ({@code auto}, {@code nio} or {@code epoll}). */
    static final String PROPERTY = "tsunagu.mqtt.transport";

    /** The transport named by the system property {@value #PROPERTY}, {@link #AUTO} if it is not set. */
    static GatewayTransport configured() {
        String value = System.getProperty(PROPERTY, "auto").strip().toUpperCase(Locale.ROOT);
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PROPERTY + " must be auto, nio or epoll, got " + System.getProperty(PROPERTY), e);
        }
    }

    /** The transport to use: {@link #AUTO} becomes {@link #EPOLL} or {@link #NIO}; a missing epoll is an error. */
    GatewayTransport resolve() {
        return switch (this) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case NIO -> NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new TsunaguException(
                            "gateway_failed",
                            "native epoll transport requested (" + PROPERTY + "=epoll) but it is not available: "
                                    + Epoll.unavailabilityCause(),
                            false,
                            Epoll.unavailabilityCause());
                }
                yield EPOLL;
            }
        };
    }

    /** A group of {@code threads} daemon event loops named {@code name}; only on a resolved transport. */
    EventLoopGroup group(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return this == EPOLL ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    /** The listening channel's class; only on a resolved transport. */
    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
