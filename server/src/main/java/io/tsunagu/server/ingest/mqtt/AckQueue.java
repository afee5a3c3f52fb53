package io.tsunagu.server.ingest.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodes.PubAck;
import io.tsunagu.server.ingest.CompletionBatch;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The PUBACKs one connection owes, in the order its PUBLISHes arrived (MQTT 5 §4.6: a server must acknowledge QoS 1
 * PUBLISHes in the order it received them). Many publishes are in flight at once, each waiting for its own future
 * (the durable group commit); whenever the head is done, every done entry from the head on is written and the
 * connection is flushed once. A terminal entry (refusal, protocol error) runs its action when it reaches the head, so
 * the acknowledgements before it still go out first.
 *
 * <p>Backpressure: while {@code receiveMaximum} acknowledgements are pending the channel stops reading, and reads
 * again once an acknowledgement went out.
 *
 * <p>Threading: {@link #expect} and {@link #terminate} run on the channel's event loop; {@link #complete} may run on
 * any thread (the ingest writer's) and hops to the event loop, one drain per burst of completions; on the writer
 * thread the hop waits until the whole group commit is complete ({@link CompletionBatch}), so a commit's
 * acknowledgements of one connection are written with one flush (the {@code SslHandler} encrypts what is pending at a
 * flush into as few TLS records as fit), and the drains of all connections of one event loop go over as one task
 * ({@link AckDrains}).
 */
final class AckQueue {
    /** One pending PUBACK, or a terminal action. */
    static final class Entry {
        private final int packetId;
        private final @Nullable Consumer<Channel> terminal;
        private volatile InboundPublishes.@Nullable Ack ack;

        private Entry(int packetId, @Nullable Consumer<Channel> terminal) {
            this.packetId = packetId;
            this.terminal = terminal;
        }
    }

    private final Channel channel;
    private final boolean mqtt5;
    private final int receiveMaximum;
    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private int awaitingAck;
    private boolean terminated;

    AckQueue(Channel channel, boolean mqtt5, int receiveMaximum) {
        this.channel = channel;
        this.mqtt5 = mqtt5;
        this.receiveMaximum = receiveMaximum;
    }

    /** Number of QoS 1 publishes received and not yet acknowledged. */
    int awaitingAck() {
        return awaitingAck;
    }

    /** True once a terminal entry was queued: nothing more is read from this connection. */
    boolean terminated() {
        return terminated;
    }

    /** Queues the PUBACK for {@code packetId}, sent in order once {@code ack} completes. */
    void expect(int packetId, CompletableFuture<InboundPublishes.Ack> ack) {
        Entry entry = new Entry(packetId, null);
        pending.add(entry);
        awaitingAck++;
        if (awaitingAck >= receiveMaximum) {
            channel.config().setAutoRead(false);
        }
        ack.whenComplete((done, failure) -> complete(
                entry, done != null ? done : InboundPublishes.Ack.of(PubAck.IMPLEMENTATION_SPECIFIC_ERROR, "failed")));
    }

    /**
     * Queues {@code action} (write a DISCONNECT, close) to run after every PUBACK queued before it; reading stops now.
     */
    void terminate(Consumer<Channel> action) {
        if (terminated) {
            return;
        }
        terminated = true;
        channel.config().setAutoRead(false);
        Entry entry = new Entry(-1, action);
        pending.add(entry);
        complete(entry, InboundPublishes.Ack.SUCCESS);
    }

    private void complete(Entry entry, InboundPublishes.Ack ack) {
        entry.ack = ack;
        if (drainScheduled.compareAndSet(false, true)) {
            // On the writer thread: after the whole commit, so that its acknowledgements leave in one flush, and with
            // the other connections of the same event loop in one task.
            AckDrains.schedule(channel.eventLoop(), this::drain);
        }
    }

    /** Event loop: writes every completed entry from the head on, then flushes once. */
    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        Entry head;
        while ((head = pending.peek()) != null && head.ack != null && channel.isActive()) {
            pending.poll();
            if (head.terminal != null) {
                channel.flush();
                head.terminal.accept(channel);
                return;
            }
            awaitingAck--;
            if (!mqtt5 && head.ack.code() == PubAck.IMPLEMENTATION_SPECIFIC_ERROR.byteValue()) {
                // MQTT 3.1.1 cannot refuse a PUBLISH; not acknowledging it makes the client send it again.
                channel.flush();
                channel.close();
                return;
            }
            channel.write(puback(head.packetId, head.ack), channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        if (!terminated && awaitingAck < receiveMaximum && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    private Object puback(int packetId, InboundPublishes.Ack ack) {
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (mqtt5 && ack.reason().isPresent()) {
            properties = new MqttProperties();
            properties.add(new MqttProperties.StringProperty(
                    MqttProperties.MqttPropertyType.REASON_STRING.value(),
                    ack.reason().get()));
        }
        return MqttMessageBuilders.pubAck()
                .packetId(packetId)
                .reasonCode(mqtt5 ? ack.code() : 0)
                .properties(properties)
                .build();
    }
}
