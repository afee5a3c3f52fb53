package io.tsunagu.server.ingest.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCountUtil;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.PemKeys;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A bare MQTT client on Netty's codec for tests that need what a well-behaved library never sends: QoS 2 to a
 * server that allows 1, more publishes than the Receive Maximum, oversize packets, many publishes in one TLS record.
 */
final class RawMqttClient implements AutoCloseable {
    private static final EventLoopGroup GROUP = new NioEventLoopGroup(1);

    private final Channel channel;
    private final BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
    /** Read when the handshake completes: once the connection closes the TLS handler is gone from the pipeline. */
    private volatile boolean sessionReused;

    private RawMqttClient(int port, Optional<IssuedCredentials> identity, String caPem) throws Exception {
        this(port, clientContext(identity, caPem), port);
    }

    /**
     * Connects to {@code port} with {@code context}; the TLS engine is made for {@code localhost:peerPort}, the key of
     * the context's client session cache, so a car reconnecting with the same context may resume its session.
     */
    private RawMqttClient(int port, SslContext context, int peerPort) throws Exception {
        channel = new Bootstrap()
                .group(GROUP)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = context.newHandler(ch.alloc(), "localhost", peerPort);
                        ssl.handshakeFuture()
                                .addListener(done -> sessionReused = done.isSuccess()
                                        && ssl.engine() instanceof ReferenceCountedOpenSslEngine engine
                                        && SSL.isSessionReused(engine.sslPointer()));
                        ch.pipeline()
                                .addLast(ssl)
                                .addLast(new MqttDecoder(1024 * 1024))
                                .addLast(MqttEncoder.INSTANCE)
                                .addLast(new SimpleChannelInboundHandler<MqttMessage>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                                        received.add(ReferenceCountUtil.retain(msg));
                                    }
                                });
                    }
                })
                .connect("localhost", port)
                .sync()
                .channel();
    }

    /** A client TLS context (OpenSSL where it loads) with the car's certificate; it caches the car's sessions. */
    static SslContext clientContext(Optional<IssuedCredentials> identity, String caPem) throws Exception {
        SslContextBuilder ssl = SslContextBuilder.forClient().protocols("TLSv1.3");
        if (identity.isPresent()) {
            char[] password = "test".toCharArray();
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            IssuedCredentials c = identity.get();
            keys.init(
                    PemKeys.keyStore(c.certificatePem(), c.privateKeyPem(), c.caCertificatePem(), password), password);
            ssl.keyManager(keys);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemKeys.trustStore(caPem));
        return ssl.trustManager(trust).build();
    }

    /**
     * Connected over TLS with {@code context} (from {@link #clientContext}), whose session cache holds the sessions of
     * {@code localhost:peerPort}: the same context and peer port resume the car's last session where the server allows.
     */
    static RawMqttClient open(int port, SslContext context, int peerPort) throws Exception {
        return new RawMqttClient(port, context, peerPort);
    }

    /** Whether this connection's TLS handshake resumed a session (the client's OpenSSL engine says so). */
    boolean sessionReused() {
        return sessionReused;
    }

    /** Connected over TLS with the car's certificate; no MQTT CONNECT sent yet. */
    static RawMqttClient open(int port, IssuedCredentials credentials) throws Exception {
        return new RawMqttClient(port, Optional.of(credentials), credentials.caCertificatePem());
    }

    /** Connected without a client certificate (the handshake is expected to fail). */
    static RawMqttClient withoutCertificate(int port, String caPem) throws Exception {
        return new RawMqttClient(port, Optional.empty(), caPem);
    }

    /** Sends CONNECT and returns the CONNACK. */
    MqttMessage connect(String clientId, MqttVersion version, int keepAliveS, MqttProperties properties)
            throws InterruptedException {
        send(MqttMessageBuilders.connect()
                .clientId(clientId)
                .protocolVersion(version)
                .cleanSession(true)
                .keepAlive(keepAliveS)
                .properties(properties)
                .build());
        return next();
    }

    /** Writes every message, then flushes once (so they travel in as few TLS records as possible). */
    void send(MqttMessage... messages) {
        for (MqttMessage message : messages) {
            channel.write(message);
        }
        channel.flush();
    }

    /** The next packet from the server, failing the test if none arrives within 10 s. */
    MqttMessage next() throws InterruptedException {
        MqttMessage message = received.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no packet from the server within 10 s");
        }
        return message;
    }

    /** Packets received so far and not taken. */
    int pending() {
        return received.size();
    }

    boolean closedWithin(Duration timeout) {
        return channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
    }

    boolean open() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5_000);
    }
}
