package io.tsunagu.server.ingest.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated car connection after its CONNACK: routes its PUBLISHes (through the {@link AckQueue}, so many are
 * in flight and acknowledged in order), answers SUBSCRIBE/UNSUBSCRIBE through {@link Subscriptions}, PINGREQ and
 * DISCONNECT, carries the cloud's publishes to the car ({@link OutboundPublishes}) and ends the connection on a
 * protocol violation with the MQTT 5 reason code (MQTT 3.1.1: just closes). All state is touched on the channel's
 * event loop only; the public-facing methods hop there.
 */
final class MqttSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);

    private final Vin vin;
    private final boolean mqtt5;
    private final Channel channel;
    private final GatewayContext context;
    private final AckQueue acks;
    private final OutboundPublishes outbound;
    private final Subscriptions subscriptions;
    private boolean closed;

    MqttSession(
            Vin vin,
            boolean mqtt5,
            Channel channel,
            GatewayContext context,
            int clientReceiveMaximum,
            long clientMaxPacketBytes) {
        this.vin = vin;
        this.mqtt5 = mqtt5;
        this.channel = channel;
        this.context = context;
        this.acks = new AckQueue(channel, mqtt5, context.receiveMaximum());
        this.outbound = new OutboundPublishes(channel, clientReceiveMaximum, clientMaxPacketBytes);
        this.subscriptions = new Subscriptions(vin, mqtt5);
    }

    Vin vin() {
        return vin;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (acks.terminated() || !(msg instanceof MqttMessage message)) {
                return; // after a refusal nothing more is processed
            }
            if (message.decoderResult().isFailure()) {
                malformed(message.decoderResult().cause());
                return;
            }
            dispatch(message);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void dispatch(MqttMessage message) {
        switch (message.fixedHeader().messageType()) {
            case PUBLISH -> publish((MqttPublishMessage) message);
            case PUBACK -> outbound.acknowledged(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
            case SUBSCRIBE -> subscriptions.subscribe(channel, message, this::subscribedToCommands);
            case UNSUBSCRIBE -> subscriptions.unsubscribe(channel, message);
            case PINGREQ -> channel.writeAndFlush(MqttMessage.PINGRESP, channel.voidPromise());
            case DISCONNECT -> channel.close(); // a clean disconnect: the will is discarded (never published anyway)
            default ->
                end(
                        Disconnect.PROTOCOL_ERROR,
                        "unexpected " + message.fixedHeader().messageType());
        }
    }

    private void publish(MqttPublishMessage message) {
        MqttQoS qos = message.fixedHeader().qosLevel();
        String topic = message.variableHeader().topicName();
        int packetId = message.variableHeader().packetId();
        if (qos == MqttQoS.EXACTLY_ONCE) {
            end(Disconnect.QOS_NOT_SUPPORTED, "QoS 2 publish (Maximum QoS is 1)");
            return;
        }
        if (qos == MqttQoS.AT_LEAST_ONCE && acks.awaitingAck() >= context.receiveMaximum()) {
            end(Disconnect.RECEIVE_MAXIMUM_EXCEEDED, "more than " + context.receiveMaximum() + " unacknowledged");
            return;
        }
        Optional<Topics.Kind> kind = TopicPolicy.publishable(vin, topic);
        if (kind.isEmpty()) {
            notAuthorized(qos, packetId, topic);
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(message.payload());
        CompletableFuture<InboundPublishes.Ack> ack =
                context.inbound().handle(vin, kind.get(), payload, contentType(message), mqtt5);
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            acks.expect(packetId, ack);
        }
    }

    /**
     * A publish outside the car's own topics: MQTT 5 gets PUBACK 0x87 (QoS 1) then DISCONNECT 0x87; MQTT 3.1.1, which
     * has no negative acknowledgement, is closed (§3.3.5 lets the server do so). The car may reconnect at once.
     */
    private void notAuthorized(MqttQoS qos, int packetId, String topic) {
        if (TopicPolicy.foreignTelemetry(vin, topic)) {
            context.inbound().refuseForeignTopic(vin, topic);
        }
        LOG.warn("[{}] publish to '{}' not authorized; disconnecting", vin, topic);
        if (mqtt5 && qos == MqttQoS.AT_LEAST_ONCE) {
            acks.expect(packetId, CompletableFuture.completedFuture(InboundPublishes.Ack.NOT_AUTHORIZED));
        }
        end(Disconnect.NOT_AUTHORIZED, "publish to '" + topic + "' not authorized");
    }

    private void malformed(Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            end(Disconnect.PACKET_TOO_LARGE, "packet larger than " + context.maxPacketBytes() + " bytes");
        } else {
            end(Disconnect.MALFORMED_PACKET, "malformed packet: " + cause.getMessage());
        }
    }

    /** Ends the connection after the acknowledgements already owed: DISCONNECT with {@code reason} (MQTT 5), close. */
    private void end(Disconnect reason, String why) {
        LOG.debug("[{}] ending the connection ({}): {}", vin, reason, why);
        acks.terminate(ch -> disconnect(ch, reason));
    }

    private void disconnect(Channel ch, Disconnect reason) {
        if (!mqtt5) {
            ch.close();
            return;
        }
        ch.writeAndFlush(MqttMessageBuilders.disconnect()
                        .reasonCode(reason.byteValue())
                        .build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static Optional<String> contentType(MqttPublishMessage message) {
        MqttProperties.MqttProperty<?> property =
                message.variableHeader().properties().getProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value());
        return property == null ? Optional.empty() : Optional.of((String) property.value());
    }

    private void subscribedToCommands() {
        context.commands().subscribed(vin);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            LOG.info("[{}] keep-alive expired (1.5 × keep-alive without a packet); closing", vin);
            disconnect(channel, Disconnect.KEEP_ALIVE_TIMEOUT);
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Another connection of the same car authenticated: this one is told so and closed (any thread). */
    void takenOver() {
        channel.eventLoop().execute(() -> disconnect(channel, Disconnect.SESSION_TAKEN_OVER));
    }

    /** Ends this session from the cloud's side (revocation); completes true once the connection is closed. */
    CompletableFuture<Boolean> disconnectAdministratively() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> done.complete(true));
        channel.eventLoop().execute(() -> disconnect(channel, Disconnect.ADMINISTRATIVE_ACTION));
        return done;
    }

    /** Sends {@code message} if the car subscribed to its topic; false otherwise (any thread). */
    CompletableFuture<Boolean> publish(String topic, byte[] payload, long expirySeconds, String contentType) {
        CompletableFuture<Boolean> written = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            Optional<MqttQoS> qos = subscriptions.qosFor(topic);
            if (closed || qos.isEmpty()) {
                written.complete(false);
                return;
            }
            outbound.publish(
                    new OutboundPublishes.Message(topic, qos.get(), payload, expirySeconds, contentType), written);
        });
        return written;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        outbound.closed();
        context.sessions().remove(this);
        context.tracker().closed(vin);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("[{}] connection error: {}", vin, cause.toString());
        ctx.close();
    }
}
