package io.tsunagu.bench.load;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.tsunagu.protocol.Topics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * One bench car on Netty's MQTT 5 codec: its connection (mutual TLS with the car's own certificate), the CONNECT, and
 * its QoS 1 telemetry publishes with their PUBACKs. Everything but {@link #connect} and {@link #connected} runs on the
 * event loop of the car's channel: a publish is a write there, flushed once per batch ({@link #flush}, or at the end
 * of a read).
 *
 * <p>The CONNECT is what HiveMQ's client sends for the bench's settings: MQTT 5, client id = VIN, clean start,
 * keep-alive {@value #KEEP_ALIVE_S} s, no user name and no properties (all of HiveMQ's defaults are the protocol's).
 * A PUBLISH carries the content type {@link Topics#CONTENT_TYPE_PROTOBUF}, as before. A PUBACK reason code of 0x80
 * or above fails the publish (MQTT 5 §3.4.2.1); a closed connection fails every publish in flight or waiting, and
 * nothing is sent again, as the HiveMQ client does with a session that expires on disconnect.
 */
final class NettyCar extends ChannelInboundHandlerAdapter {
    static final int KEEP_ALIVE_S = 120;
    /** Socket connect and CONNACK each (HiveMQ's settings in {@link CarClients}; the handshake's is the car's). */
    static final int CONNECT_TIMEOUT_MS = 60_000;

    private static final String HOST = "127.0.0.1";
    /** MQTT 5 §3.2.2.3.3: a broker that sends no Receive Maximum allows 65,535. */
    private static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;

    private static final MqttFixedHeader PUBLISH_HEADER =
            new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0);
    private static final MqttProperties PUBLISH_PROPERTIES = contentType();
    private static final AckTracker NOT_PUBLISHING = new AckTracker();

    private final CarIdentity identity;
    private final String topic;
    private final BenchPayload payload;
    private final CompletableFuture<Void> connack = new CompletableFuture<>();
    private final InFlight inFlight = new InFlight();

    private volatile @Nullable ChannelHandlerContext ctx;
    private volatile boolean connected;
    private AckTracker tracker = NOT_PUBLISHING;
    private int receiveMaximum = DEFAULT_RECEIVE_MAXIMUM;
    private boolean flooding;
    private boolean unflushed;
    private long seq;

    NettyCar(CarIdentity identity, BenchPayload payload) {
        this.identity = identity;
        this.topic = Topics.telemetry(identity.vin());
        this.payload = payload;
    }

    /**
     * Opens the car's connection with a TLS context of its own; the future completes at the CONNACK (or fails: refused,
     * socket, handshake or CONNACK timeout, or the connection closed first).
     */
    CompletableFuture<Void> connect(Bootstrap bootstrap, int port) {
        SslContext ssl;
        try {
            ssl = sslContext(identity.ssl());
        } catch (SSLException e) {
            connack.completeExceptionally(e);
            return connack;
        }
        bootstrap
                .clone()
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(
                                        tls(ssl, channel, port, identity.ssl().getHandshakeTimeoutMs()),
                                        new MqttDecoder(),
                                        MqttEncoder.INSTANCE,
                                        new IdleStateHandler(0, KEEP_ALIVE_S, 0),
                                        NettyCar.this);
                    }
                })
                .connect(HOST, port)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        connack.completeExceptionally(f.cause());
                    }
                });
        return connack;
    }

    /**
     * The car's TLS context as HiveMQ's client builds it from the same settings: Netty's default provider (OpenSSL
     * when netty-tcnative loads), the car's key manager, the pinned server certificate.
     */
    static SslContext sslContext(MqttClientSslConfig config) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient();
        config.getKeyManagerFactory().ifPresent(builder::keyManager);
        config.getTrustManagerFactory().ifPresent(builder::trustManager);
        config.getProtocols().ifPresent(p -> builder.protocols(p.toArray(String[]::new)));
        config.getCipherSuites().ifPresent(builder::ciphers);
        return builder.build();
    }

    private static SslHandler tls(SslContext ssl, Channel channel, int port, long handshakeTimeoutMs) {
        SslHandler handler = ssl.newHandler(channel.alloc(), HOST, port);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMs);
        // HiveMQ's client checks the server's name (here its IP address) against its certificate, so do we.
        SSLParameters parameters = handler.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        handler.engine().setSSLParameters(parameters);
        return handler;
    }

    boolean connected() {
        return connected;
    }

    /** The loop this car's channel lives on; only after its CONNACK. */
    EventLoop eventLoop() {
        return context().channel().eventLoop();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        context.writeAndFlush(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId(identity.vin().value())
                .cleanSession(true)
                .keepAlive(KEEP_ALIVE_S)
                .properties(MqttProperties.NO_PROPERTIES)
                .build());
        context.executor()
                .schedule(
                        () -> {
                            if (!connack.isDone()) {
                                connack.completeExceptionally(
                                        new IllegalStateException("no CONNACK within " + CONNECT_TIMEOUT_MS + " ms"));
                                context.close();
                            }
                        },
                        CONNECT_TIMEOUT_MS,
                        TimeUnit.MILLISECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (msg instanceof MqttMessage message) {
                read(context, message);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(ChannelHandlerContext context, MqttMessage message) {
        if (message.decoderResult().isFailure()) {
            exceptionCaught(context, message.decoderResult().cause());
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> connAck(context, (MqttConnAckMessage) message);
            case PUBACK -> pubAck(message);
            case DISCONNECT -> context.close();
            default -> {
                // PINGRESP; the cars subscribe to nothing
            }
        }
    }

    private void connAck(ChannelHandlerContext context, MqttConnAckMessage message) {
        MqttConnectReturnCode code = message.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            connack.completeExceptionally(new IllegalStateException("CONNACK " + code));
            context.close();
            return;
        }
        MqttProperties.MqttProperty<?> maximum = message.variableHeader()
                .properties()
                .getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
        if (maximum != null && maximum.value() instanceof Integer value && value > 0) {
            receiveMaximum = value;
        }
        connected = true;
        connack.complete(null);
    }

    private void pubAck(MqttMessage message) {
        long ticket = inFlight.remove(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
        if (ticket == InFlight.NONE) {
            return;
        }
        if (message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                && (reply.reasonCode() & 0xff) >= 0x80) {
            tracker.failed();
        } else {
            tracker.acked(ticket);
        }
        if (inFlight.hasWaiting()) {
            send(inFlight.nextWaiting());
        }
        if (flooding) {
            publish(tracker);
        }
    }

    /**
     * Publishes the car's next message, counted by {@code publishing}; it waits for a place when the broker's Receive
     * Maximum is reached. Not flushed: {@link #flush} after the batch. Nothing happens while the car is not connected.
     */
    void publish(AckTracker publishing) {
        if (!connected) {
            return;
        }
        tracker = publishing;
        long ticket = publishing.sentNow();
        if (inFlight.hasWaiting() || inFlight.count() >= receiveMaximum) {
            inFlight.await(ticket);
        } else {
            send(ticket);
        }
    }

    private void send(long ticket) {
        int packetId = inFlight.add(ticket);
        ChannelHandlerContext context = context();
        context.write(
                new MqttPublishMessage(
                        PUBLISH_HEADER,
                        new MqttPublishVariableHeader(topic, packetId, PUBLISH_PROPERTIES),
                        Unpooled.wrappedBuffer(payload.encode(++seq))),
                context.voidPromise());
        unflushed = true;
    }

    /** Flushes what {@link #publish} wrote since the last flush, if anything. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            context().flush();
        }
    }

    /** Starts keeping {@code inFlight} publishes going (each answer sends the next), or stops. */
    void flood(boolean on, int count, AckTracker publishing) {
        flooding = on && connected;
        for (int i = 0; flooding && i < count; i++) {
            publish(publishing);
        }
        flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        flush();
        context.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            context.writeAndFlush(MqttMessage.PINGREQ, context.voidPromise()); // MQTT 5 §3.1.2.10
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        connected = false;
        flooding = false;
        for (int lost = inFlight.clear(); lost > 0; lost--) {
            tracker.failed();
        }
        connack.completeExceptionally(new IllegalStateException("connection closed before CONNACK"));
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        connack.completeExceptionally(cause);
        context.close();
    }

    /** Sends DISCONNECT and closes; the future completes when the channel is closed (at once if it never opened). */
    CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        if (ctx == null) {
            closed.complete(null);
            return closed;
        }
        ChannelHandlerContext context = ctx;
        context.channel().closeFuture().addListener(f -> closed.complete(null));
        if (context.channel().isActive()) {
            context.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
        } else {
            context.close();
        }
        return closed;
    }

    private ChannelHandlerContext context() {
        if (ctx == null) {
            throw new IllegalStateException(identity.vin() + " has no connection");
        }
        return ctx;
    }

    private static MqttProperties contentType() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(
                MqttProperties.MqttPropertyType.CONTENT_TYPE.value(), Topics.CONTENT_TYPE_PROTOBUF));
        return properties;
    }
}
