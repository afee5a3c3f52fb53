package io.tsunagu.server.ingest.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes.SubAck;
import io.netty.handler.codec.mqtt.MqttReasonCodes.UnsubAck;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of one connection. A car may subscribe only to its own command and update topics ({@link
 * TopicPolicy}); any other filter (another car's topic, wildcards, shared subscriptions) gets the failure code 0x87
 * not authorized in the SUBACK (MQTT 3.1.1: 0x80) and the session stays. Granted QoS is at most 1. Subscriptions live
 * as long as the connection: there are no persistent sessions (the agent subscribes again on every connect).
 *
 * <p>Threading: event loop only.
 */
final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private final Vin vin;
    private final boolean mqtt5;
    private final Map<String, MqttQoS> granted = new HashMap<>(4);

    Subscriptions(Vin vin, boolean mqtt5) {
        this.vin = vin;
        this.mqtt5 = mqtt5;
    }

    /** Answers a SUBSCRIBE; runs {@code commandsGranted} after the SUBACK if the car's command topic was granted. */
    void subscribe(Channel channel, MqttMessage message, Runnable commandsGranted) {
        MqttSubscribeMessage subscribe = (MqttSubscribeMessage) message;
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        int[] codes = new int[requested.size()];
        boolean commands = false;
        for (int i = 0; i < codes.length; i++) {
            String filter = requested.get(i).topicFilter();
            if (TopicPolicy.subscribable(vin, filter)) {
                MqttQoS qos = requested.get(i).qualityOfService() == MqttQoS.AT_MOST_ONCE
                        ? MqttQoS.AT_MOST_ONCE
                        : MqttQoS.AT_LEAST_ONCE;
                granted.put(filter, qos);
                codes[i] = qos.value();
                commands |= filter.equals(Topics.commands(vin));
            } else {
                LOG.warn("[{}] subscription to '{}' not authorized", vin, filter);
                codes[i] = mqtt5 ? SubAck.NOT_AUTHORIZED.byteValue() & 0xFF : MqttQoS.FAILURE.value();
            }
        }
        MqttSubAckMessage ack = MqttMessageBuilders.subAck()
                .packetId(packetId(subscribe.variableHeader()))
                .build();
        channel.writeAndFlush(
                new MqttSubAckMessage(ack.fixedHeader(), ack.variableHeader(), new MqttSubAckPayload(codes)));
        if (commands) {
            commandsGranted.run();
        }
    }

    /** Answers an UNSUBSCRIBE: 0x00 for a filter that was subscribed, 0x11 no subscription existed otherwise. */
    void unsubscribe(Channel channel, MqttMessage message) {
        MqttUnsubscribeMessage unsubscribe = (MqttUnsubscribeMessage) message;
        List<String> filters = unsubscribe.payload().topics();
        MqttMessageBuilders.UnsubAckBuilder ack =
                MqttMessageBuilders.unsubAck().packetId(packetId(unsubscribe.variableHeader()));
        for (String filter : filters) {
            boolean existed = granted.remove(filter) != null;
            ack.addReasonCode((existed ? UnsubAck.SUCCESS : UnsubAck.NO_SUBSCRIPTION_EXISTED).byteValue());
        }
        channel.writeAndFlush(ack.build());
    }

    /** The QoS to publish {@code topic} with, if the car subscribed to it (filters are exact topics). */
    Optional<MqttQoS> qosFor(String topic) {
        return Optional.ofNullable(granted.get(topic));
    }

    private static int packetId(Object variableHeader) {
        if (variableHeader instanceof MqttMessageIdAndPropertiesVariableHeader withProperties) {
            return withProperties.messageId();
        }
        return ((MqttMessageIdVariableHeader) variableHeader).messageId();
    }
}
