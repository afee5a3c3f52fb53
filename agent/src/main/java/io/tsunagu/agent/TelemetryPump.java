package io.tsunagu.agent;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import io.tsunagu.agent.buffer.BufferedFrame;
import io.tsunagu.agent.buffer.DiskBuffer;
import io.tsunagu.protocol.Topics;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send loop: reads buffered frames in sequence order after a cursor, publishes them in batches with QoS 1 while
 * fewer than {@code maxInFlight} messages wait for their PUBACK, and settles each batch when its PUBACK (or failure)
 * arrives. Runs one drain at a time on the given executor; all state is guarded by {@code lock}.
 */
final class TelemetryPump {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPump.class);

    private final AgentConfig config;
    private final DiskBuffer buffer;
    private final Mqtt5AsyncClient client;
    private final Executor executor;
    private final BooleanSupplier canSend;
    private final String topic;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Object lock = new Object();
    private long cursor; // highest seq handed to the client; frames above it are not yet sent
    private int inFlight;
    private boolean stopped;

    TelemetryPump(
            AgentConfig config,
            DiskBuffer buffer,
            Mqtt5AsyncClient client,
            Executor executor,
            BooleanSupplier canSend) {
        this.config = config;
        this.buffer = buffer;
        this.client = client;
        this.executor = executor;
        this.canSend = canSend;
        this.topic = Topics.telemetry(config.vin());
    }

    /** Schedules a drain unless one is already scheduled. Cheap; called on every record, connect and PUBACK. */
    void request() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
            }
        }
    }

    /** After this returns no drain or settlement touches the buffer any more. */
    void stop() {
        synchronized (lock) {
            stopped = true;
        }
    }

    long sent() {
        return sent.get();
    }

    long acked() {
        return acked.get();
    }

    long rejected() {
        return rejected.get();
    }

    private void drain() {
        scheduled.set(false);
        synchronized (lock) {
            while (!stopped && canSend.getAsBoolean() && inFlight < config.maxInFlight()) {
                List<BufferedFrame> batch = buffer.readAfter(cursor, config.maxBatchFrames());
                if (batch.isEmpty()) {
                    return;
                }
                cursor = batch.getLast().seq();
                inFlight++;
                publish(batch);
            }
        }
    }

    private void publish(List<BufferedFrame> batch) {
        byte[] payload = switch (config.format()) {
            case PROTOBUF -> ProtobufFrames.protobufBatch(batch);
            case JSON -> ProtobufFrames.jsonBatch(batch);
        };
        sent.addAndGet(batch.size());
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .contentType(config.format().contentType())
                .payload(payload)
                .send()
                .whenComplete((result, error) -> settle(batch, result, error));
    }

    private void settle(List<BufferedFrame> batch, @Nullable Mqtt5PublishResult result, @Nullable Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null && result != null && result.getError().isPresent()) {
            cause = result.getError().get();
        }
        List<Long> seqs = batch.stream().map(BufferedFrame::seq).toList();
        synchronized (lock) {
            inFlight--;
            if (stopped) {
                return;
            }
            if (cause == null) {
                buffer.remove(seqs);
                acked.addAndGet(seqs.size());
            } else if (cause instanceof Mqtt5PubAckException refused) {
                reject(seqs, refused.getMqttMessage());
            } else {
                // Not acknowledged (connection lost, session gone): send these again from the first one on.
                cursor = Math.min(cursor, seqs.getFirst() - 1);
                LOG.debug(
                        "{}: frames {}..{} not acknowledged: {}", config.vin(), seqs.getFirst(), seqs.getLast(), cause);
            }
        }
        request();
    }

    private void reject(List<Long> seqs, Mqtt5PubAck pubAck) {
        buffer.remove(seqs);
        long total = rejected.addAndGet(seqs.size());
        LOG.warn(
                "{}: broker refused frames {}..{} with {} (0x{}) '{}'; dropped them, {} refused in total",
                config.vin(),
                seqs.getFirst(),
                seqs.getLast(),
                pubAck.getReasonCode(),
                Integer.toHexString(pubAck.getReasonCode().getCode()),
                pubAck.getReasonString().map(Object::toString).orElse(""),
                total);
    }
}
