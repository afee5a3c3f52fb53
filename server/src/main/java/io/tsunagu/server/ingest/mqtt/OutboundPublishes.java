package io.tsunagu.server.ingest.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes from the cloud to one connected car (commands, update notices). QoS 1 messages get a free packet id and
 * count against the car's Receive Maximum (MQTT 5 §3.3.4: the server may not have more unacknowledged QoS 1
 * publishes to a client than the client allows); beyond it up to {@value #MAX_QUEUED} messages wait here, and a
 * message beyond that is refused (its future says false). Nothing here is durable: the command service keeps its own
 * queue and re-sends on every session start, so a message lost with a connection is sent again.
 *
 * <p>Threading: every method runs on the channel's event loop.
 */
final class OutboundPublishes {
    static final int MAX_QUEUED = 256;

    /** A message for the car. */
    record Message(String topic, MqttQoS qos, byte[] payload, long expirySeconds, String contentType) {}

    private record Queued(Message message, CompletableFuture<Boolean> written) {}

    private final Channel channel;
    private final int clientReceiveMaximum;
    private final long clientMaxPacketBytes;
    private final Set<Integer> inUse = new HashSet<>(4);
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private int nextPacketId = 1;
    private int unacknowledged;

    OutboundPublishes(Channel channel, int clientReceiveMaximum, long clientMaxPacketBytes) {
        this.channel = channel;
        // Clamped so a free packet id always exists (ids are 1..65,535).
        this.clientReceiveMaximum = Math.clamp(clientReceiveMaximum, 1, 65_000);
        this.clientMaxPacketBytes = clientMaxPacketBytes;
    }

    /** Sends (or queues) {@code message}; {@code written} completes true once it is written to the connection. */
    void publish(Message message, CompletableFuture<Boolean> written) {
        if (approximateBytes(message) > clientMaxPacketBytes) {
            written.complete(false); // MQTT 5 §3.1.2.11.4: never send a client more than its Maximum Packet Size
            return;
        }
        if (message.qos() == MqttQoS.AT_MOST_ONCE) {
            write(message, 0, written);
        } else if (unacknowledged < clientReceiveMaximum) {
            write(message, takePacketId(), written);
        } else if (queued.size() < MAX_QUEUED) {
            queued.add(new Queued(message, written));
        } else {
            written.complete(false);
        }
    }

    /** The car acknowledged {@code packetId}: the id is free again and a queued message may go. */
    void acknowledged(int packetId) {
        if (!inUse.remove(packetId)) {
            return;
        }
        unacknowledged--;
        Queued next = queued.poll();
        if (next != null) {
            write(next.message(), takePacketId(), next.written());
        }
    }

    /** The connection is gone: queued messages were never sent. */
    void closed() {
        Queued next;
        while ((next = queued.poll()) != null) {
            next.written().complete(false);
        }
    }

    private void write(Message message, int packetId, CompletableFuture<Boolean> written) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(
                MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) message.expirySeconds()));
        properties.add(new MqttProperties.StringProperty(
                MqttProperties.MqttPropertyType.CONTENT_TYPE.value(), message.contentType()));
        MqttPublishMessage publish = MqttMessageBuilders.publish()
                .topicName(message.topic())
                .qos(message.qos())
                .retained(false)
                .messageId(packetId)
                .properties(properties)
                .payload(Unpooled.wrappedBuffer(message.payload()))
                .build();
        channel.writeAndFlush(publish).addListener(f -> written.complete(f.isSuccess()));
    }

    private int takePacketId() {
        int id = nextPacketId;
        while (inUse.contains(id)) {
            id = id == 65_535 ? 1 : id + 1; // terminates: at most clientReceiveMaximum (< 65,535) ids are in use
        }
        inUse.add(id);
        nextPacketId = id == 65_535 ? 1 : id + 1;
        unacknowledged++;
        return id;
    }

    private static long approximateBytes(Message message) {
        return 32L
                + message.topic().getBytes(StandardCharsets.UTF_8).length
                + message.contentType().getBytes(StandardCharsets.UTF_8).length
                + message.payload().length;
    }
}
