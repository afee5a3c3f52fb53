package io.tsunagu.server.ingest.mqtt;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.tsunagu.protocol.Vin;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first MQTT packet of a connection must be CONNECT (MQTT 5 §3.1): authenticates the car ({@link
 * VehicleAuthenticator}), registers its session (taking over an older one), answers CONNACK and hands the connection
 * to a {@link MqttSession}. Anything else, or no CONNECT within {@value #CONNECT_TIMEOUT_S} s of the TLS handshake,
 * closes the connection.
 *
 * <p>CONNACK: session present is always 0 (no persistent sessions: a car subscribes again on every connect, and
 * commands have their own durable queue); MQTT 5 properties: Maximum QoS 1, the gateway's Receive Maximum and Maximum
 * Packet Size, Session Expiry Interval 0 if the car asked for more. A will is accepted and never published.
 */
final class ConnectHandler extends ChannelInboundHandlerAdapter {
    static final int CONNECT_TIMEOUT_S = 10;
    static final String NAME = "connect";
    static final String IDLE = "idle";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);
    /** What a client that sends no Receive Maximum allows (MQTT 5 §3.1.2.11.3 default; 3.1.1 has no limit). */
    private static final int DEFAULT_CLIENT_RECEIVE_MAXIMUM = 65_535;

    private final GatewayContext context;

    ConnectHandler(GatewayContext context) {
        this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof MqttMessage message)) {
                ctx.close();
            } else if (message.decoderResult().isFailure()) {
                refuseMalformed(ctx, message.decoderResult().cause());
            } else if (message.fixedHeader().messageType() != MqttMessageType.CONNECT) {
                ctx.close(); // MQTT 5 §3.1: the first packet must be CONNECT
            } else {
                connect(ctx, (MqttConnectMessage) message);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        boolean mqtt5 = connect.variableHeader().version() == MqttVersion.MQTT_5.protocolLevel();
        String clientId = connect.payload().clientIdentifier();
        Optional<Vin> vin = context.authenticator().authenticate(clientCertificate(ctx), clientId);
        if (vin.isEmpty()) {
            refuse(
                    ctx,
                    mqtt5
                            ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        MqttProperties requested = connect.variableHeader().properties();
        MqttSession session = new MqttSession(
                vin.get(),
                mqtt5,
                ctx.channel(),
                context,
                intProperty(requested, MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM)
                        .orElse(DEFAULT_CLIENT_RECEIVE_MAXIMUM),
                intProperty(requested, MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE)
                        .map(Integer::toUnsignedLong)
                        .orElse(Long.MAX_VALUE));
        int keepAliveS = connect.variableHeader().keepAliveTimeSeconds();
        if (ctx.pipeline().get(IDLE) != null) {
            ctx.pipeline().remove(IDLE);
        }
        if (keepAliveS > 0) {
            // MQTT 5 §3.1.2.10: close after one and a half keep-alive periods without a control packet.
            ctx.pipeline()
                    .addBefore(ctx.name(), IDLE, new IdleStateHandler(keepAliveS * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        ctx.pipeline().replace(this, "session", session);
        // Counted before the takeover: the old connection may close (and be uncounted) on another thread at once.
        context.tracker().authenticated(vin.get());
        context.sessions().register(session);
        ctx.channel().writeAndFlush(connAck(mqtt5, requested), ctx.channel().voidPromise());
    }

    private MqttConnAckMessage connAck(boolean mqtt5, MqttProperties requested) {
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (mqtt5) {
            MqttMessageBuilders.ConnAckPropertiesBuilder builder = new MqttMessageBuilders.ConnAckPropertiesBuilder()
                    .maximumQos((byte) 1)
                    .receiveMaximum(context.receiveMaximum())
                    .maximumPacketSize(context.maxPacketBytes());
            if (intProperty(requested, MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL)
                            .orElse(0)
                    != 0) {
                builder.sessionExpiryInterval(0); // MQTT 5 §3.2.2.3.2: the session ends with the connection
            }
            properties = builder.build();
        }
        return MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(false)
                .properties(properties)
                .build();
    }

    private static void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
        ctx.writeAndFlush(MqttMessageBuilders.connAck()
                        .returnCode(code)
                        .sessionPresent(false)
                        .build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("[{}] refused malformed CONNECT: {}", ctx.channel().remoteAddress(), cause.toString());
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        } else if (cause instanceof TooLongFrameException) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE);
        } else {
            ctx.close();
        }
    }

    private static Optional<X509Certificate> clientCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> intProperty(MqttProperties properties, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property != null && property.value() instanceof Integer value ? Optional.of(value) : Optional.empty();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close(); // no CONNECT in time
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("[{}] connection error before CONNECT: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
