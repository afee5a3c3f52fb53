package io.tsunagu.server.ingest.mqtt;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.ingest.IngestPipeline;
import io.tsunagu.server.observe.Metrics;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tsunagu's MQTT 5 / 3.1.1 gateway on Netty: one mutual-TLS listener, Netty's MQTT codec, and per connection the
 * handlers that authenticate the car ({@link ConnectHandler}), confine it to its own topics and carry its traffic
 * ({@link MqttSession}). Nothing is stored here: telemetry goes to the ingest pipeline and is acknowledged once
 * durable, commands have their own durable queue, sessions end with their connection.
 *
 * <p>TLS: OpenSSL (BoringSSL) where its native library loads, else the JDK ({@link GatewayTls}, {@link TlsProvider}).
 *
 * <p>Threads: one acceptor and two I/O event loops (TLS handshakes and MQTT) on native epoll where it loads, else NIO
 * ({@link GatewayTransport}); nothing blocks them — ingest futures complete on the writer thread and their PUBACKs hop
 * back to the connections' event loops, one task per event loop and group commit ({@link AckDrains}).
 */
public final class MqttGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttGateway.class);
    private static final int WORKER_THREADS = 2;
    /** Longest client id the codec accepts (a VIN has 17 characters; longer ids are refused as not a vehicle). */
    private static final int MAX_CLIENT_ID_LENGTH = 64;

    private static final long HANDSHAKE_TIMEOUT_MS = 60_000;

    private final MqttGatewayConfig config;
    private final ConnectionTracker tracker;
    private final SessionRegistry sessions = new SessionRegistry();
    private final GatewayContext context;
    private final HandshakeFailures handshakeFailures;
    private final Clock clock;
    private @Nullable GatewayResumption resumption;
    private @Nullable EventLoopGroup acceptor;
    private @Nullable EventLoopGroup workers;
    private @Nullable Channel listener;
    private @Nullable SslContext tls;
    private GatewayTransport transport = GatewayTransport.AUTO;
    private final ChannelGroup channels = new DefaultChannelGroup("tsunagu-mqtt", GlobalEventExecutor.INSTANCE);

    public MqttGateway(
            MqttGatewayConfig config,
            CertificateTrust trust,
            IngestPipeline pipeline,
            ConnectionListener connections,
            CommandChannel commands,
            Metrics metrics,
            Clock clock) {
        this.config = config;
        this.clock = clock;
        this.tracker = new ConnectionTracker(connections, clock);
        this.handshakeFailures = new HandshakeFailures(metrics);
        this.context = new GatewayContext(
                new VehicleAuthenticator(trust, metrics, clock),
                sessions,
                tracker,
                new InboundPublishes(pipeline, commands),
                commands,
                config.receiveMaximum(),
                config.maxPacketBytes());
        metrics.gauge("tsunagu_mqtt_cars_online", "Cars with an authenticated MQTT connection", tracker::onlineCars);
    }

    /**
     * Starts the listener on the transport of the system property {@value GatewayTransport#PROPERTY} (default: native
     * epoll where it loads, else NIO); returns once it accepts connections.
     */
    public void start() {
        start(GatewayTransport.configured());
    }

    /** Starts the listener on {@code wanted} ({@link GatewayTransport#AUTO}: epoll where it loads). */
    void start(GatewayTransport wanted) {
        transport = wanted.resolve();
        SslContext tls = GatewayTls.serverContext(config);
        this.tls = tls;
        GatewayResumption resumption = GatewayResumption.configure(tls, config.resumption(), config.workDir(), clock);
        this.resumption = resumption;
        acceptor = transport.group(1, "tsunagu-mqtt-accept");
        // A rotation writes one small file every few hours: the acceptor thread can afford it, the I/O loops need not.
        long checkMs = GatewayResumption.checkInterval(config.resumption()).toMillis();
        acceptor.scheduleAtFixedRate(this::rotateTicketKeys, checkMs, checkMs, TimeUnit.MILLISECONDS);
        workers = transport.group(WORKER_THREADS, "tsunagu-mqtt-io");
        workers.scheduleAtFixedRate(context.inbound()::sweepDeadlines, 1, 1, TimeUnit.SECONDS);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channels.add(channel);
                        SslHandler ssl = tls.newHandler(channel.alloc());
                        resumption.newConnection(ssl.engine());
                        // In a connect storm handshakes queue behind each other on two cores: be patient with them.
                        ssl.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS);
                        channel.pipeline()
                                .addLast("tls", ssl)
                                .addLast("handshake", handshakeFailures)
                                .addLast("decoder", new MqttDecoder(decoderLimit(), MAX_CLIENT_ID_LENGTH))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast(ConnectHandler.NAME, new ConnectHandler(context));
                    }
                });
        try {
            listener =
                    bootstrap.bind(config.bindAddress(), config.port()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new TsunaguException("interrupted", "interrupted while the MQTT gateway was starting", true, e);
        } catch (RuntimeException e) {
            close();
            throw new TsunaguException(
                    "gateway_failed",
                    "MQTT gateway cannot listen on " + config.bindAddress() + ":" + config.port(),
                    false,
                    e);
        }
        LOG.info(
                "MQTT gateway listening on {}:{} (TLS, client certificates required; {} transport)",
                config.bindAddress(),
                port(),
                transport);
    }

    /** Rotates the TLS session ticket key if it is due (scheduled; tests call it after moving their clock). */
    boolean rotateTicketKeys() {
        GatewayResumption current = resumption;
        try {
            return current != null && current.rotateIfDue();
        } catch (RuntimeException e) {
            LOG.warn("MQTT gateway: TLS ticket key rotation failed: {}", e.toString());
            return false;
        }
    }

    /** The socket transport in use once started ({@link GatewayTransport#AUTO} before). */
    GatewayTransport transport() {
        return transport;
    }

    /**
     * The codec limits the remaining length (MQTT 5 §2.1.4); the whole packet adds the type byte and up to four length
     * bytes.
     */
    private int decoderLimit() {
        int max = config.maxPacketBytes();
        int lengthBytes = max < 128 ? 1 : max < 16_384 ? 2 : max < 2_097_152 ? 3 : 4;
        return max - 1 - lengthBytes;
    }

    /** Disconnects a car's live session (after revocation), so the revoked certificate stops working at once. */
    public CompletableFuture<Boolean> disconnect(Vin vin) {
        return sessions.get(vin)
                .map(MqttSession::disconnectAdministratively)
                .orElseGet(() -> CompletableFuture.completedFuture(false));
    }

    /** True while the car has at least one authenticated connection to this gateway. */
    public boolean online(Vin vin) {
        return tracker.online(vin);
    }

    /**
     * Publishes to the car's own subscription only (QoS 1 unless the car subscribed with QoS 0, MQTT 5 message expiry
     * {@code expiry}, rounded up to whole seconds, at least 1).
     *
     * @return true once the message was written to the car's connection, false if the car has no connection or no
     *     subscription matching {@code topic}, or too many messages are waiting for its acknowledgements
     */
    public CompletableFuture<Boolean> publishToCar(Vin vin, String topic, byte[] payload, Duration expiry) {
        return publishToCar(vin, topic, payload, expiry, Topics.CONTENT_TYPE_PROTOBUF);
    }

    /** Like {@link #publishToCar(Vin, String, byte[], Duration)} with another MQTT 5 content type. */
    public CompletableFuture<Boolean> publishToCar(
            Vin vin, String topic, byte[] payload, Duration expiry, String contentType) {
        long expirySeconds = Math.max(1, (expiry.toMillis() + 999) / 1000);
        return sessions.get(vin)
                .map(session -> {
                    try {
                        return session.publish(topic, payload, expirySeconds, contentType);
                    } catch (RejectedExecutionException e) {
                        return CompletableFuture.completedFuture(false); // shutting down
                    }
                })
                .orElseGet(() -> CompletableFuture.completedFuture(false));
    }

    /** Port of the TLS listener (the bound one, also when configured as 0). */
    public int port() {
        return listener == null ? config.port() : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Stops listening and closes every connection (cars see the connection drop; their wills are not published). */
    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            listener = null;
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (EventLoopGroup group : new EventLoopGroup[] {acceptor, workers}) {
            if (group != null) {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
        acceptor = null;
        workers = null;
        if (tls != null) {
            ReferenceCountUtil.release(tls); // an OpenSSL context's native memory; a JDK context is not counted
            tls = null;
        }
    }
}
