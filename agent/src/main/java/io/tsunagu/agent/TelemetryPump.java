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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send loop: reads buffered frames in sequence order after a cursor, publishes them in batches with QoS 1 while
 * fewer than {@code maxInFlight} messages wait for their PUBACK, and settles each batch by its {@link PubAckVerdict}.
 *
 * <p>A batch to be sent again (temporary refusal such as 0x97 quota exceeded or 0x83, or a publish that failed with
 * the connection) keeps its frames in the buffer and is queued; the loop then pauses for a jittered exponential
 * backoff ({@link AgentConfig#retryBackoff()}; the attempt counts the pauses since the last delivery) and
 * afterwards sends the queued batches first, lowest sequence number first. Frames still waiting for a PUBACK are never
 * sent twice by this loop. After a pause it sends one message at a time and doubles the window with every delivery
 * back up to {@code maxInFlight}, so that a rate-limited car probes instead of spending the cloud's quota on a burst
 * of its own backlog that would be refused again.
 *
 * <p>Runs one drain at a time on the given executor; all state is guarded by {@code lock}.
 */
final class TelemetryPump {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPump.class);

    private final AgentConfig config;
    private final DiskBuffer buffer;
    private final Mqtt5AsyncClient client;
    private final Executor executor;
    private final BooleanSupplier canSend;
    private final RandomGenerator jitter;
    private final TelemetryPayloads payloads = new TelemetryPayloads();
    private final String topic;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final Object lock = new Object();
    private final TreeMap<Long, List<BufferedFrame>> resend = new TreeMap<>(); // by first seq
    private long cursor; // highest seq read from the buffer; frames above it were never sent by this pump
    private int inFlight;
    private int window; // messages allowed in flight: maxInFlight, or less while recovering from a deferral
    private boolean paused;
    private int retryAttempt; // temporary refusals since the last delivery
    private boolean stopped;

    TelemetryPump(
            AgentConfig config,
            DiskBuffer buffer,
            Mqtt5AsyncClient client,
            Executor executor,
            BooleanSupplier canSend,
            RandomGenerator jitter) {
        this.config = config;
        this.buffer = buffer;
        this.client = client;
        this.executor = executor;
        this.canSend = canSend;
        this.jitter = jitter;
        this.topic = Topics.telemetry(config.vin());
        this.window = config.maxInFlight();
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

    long retried() {
        return retried.get();
    }

    private void drain() {
        scheduled.set(false);
        synchronized (lock) {
            while (!stopped && !paused && canSend.getAsBoolean() && inFlight < window) {
                List<BufferedFrame> batch = nextBatch();
                if (batch.isEmpty()) {
                    return;
                }
                publish(batch);
            }
        }
    }

    private List<BufferedFrame> nextBatch() {
        Map.Entry<Long, List<BufferedFrame>> again = resend.pollFirstEntry();
        if (again != null) {
            return again.getValue();
        }
        List<BufferedFrame> batch = buffer.readAfter(cursor, config.maxBatchFrames());
        if (!batch.isEmpty()) {
            cursor = batch.getLast().seq();
        }
        return batch;
    }

    private void publish(List<BufferedFrame> batch) {
        byte[] payload;
        try {
            payload = payloads.payload(batch, config.format());
        } catch (AgentException e) {
            // Only a damaged buffer gets here (record() checked every value); keeping the frames would stall the car.
            LOG.error("{}: {}; dropping them", config.vin(), e.getMessage());
            drop(batch);
            return;
        }
        inFlight++;
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
        synchronized (lock) {
            inFlight--;
            if (stopped) {
                return;
            }
            if (cause == null) {
                delivered(batch);
            } else if (cause instanceof Mqtt5PubAckException refusal) {
                refused(batch, refusal.getMqttMessage());
            } else {
                // Not acknowledged (connection lost, session gone): the frames are still buffered; send them again.
                retryLater(batch, "not acknowledged: " + cause);
            }
        }
        request();
    }

    private void delivered(List<BufferedFrame> batch) {
        buffer.remove(seqs(batch));
        acked.addAndGet(batch.size());
        retryAttempt = 0;
        window = Math.min(config.maxInFlight(), window * 2);
    }

    private void refused(List<BufferedFrame> batch, Mqtt5PubAck pubAck) {
        PubAckVerdict verdict = PubAckVerdict.of(pubAck.getReasonCode());
        String why = pubAck.getReasonCode() + " (0x"
                + Integer.toHexString(pubAck.getReasonCode().getCode()) + ") '"
                + pubAck.getReasonString().map(Object::toString).orElse("") + "'";
        switch (verdict) {
            case DELIVERED -> delivered(batch);
            case RETRY_LATER -> {
                retryLater(batch, why);
            }
            case REFUSED -> {
                drop(batch);
                LOG.warn(
                        "{}: broker refused frames {} with {}; dropped them, {} refused in total",
                        config.vin(),
                        range(batch),
                        why,
                        rejected.get());
            }
        }
    }

    private void drop(List<BufferedFrame> batch) {
        buffer.remove(seqs(batch));
        rejected.addAndGet(batch.size());
    }

    /** Queues the batch to be sent again and, unless already paused, pauses sending for one backoff delay. */
    private void retryLater(List<BufferedFrame> batch, String why) {
        resend.put(batch.getFirst().seq(), batch);
        retried.addAndGet(batch.size());
        if (paused) {
            LOG.debug("{}: frames {} to send again: {}", config.vin(), range(batch), why);
            return;
        }
        paused = true;
        window = 1;
        retryAttempt++;
        long delayMs = config.retryBackoff().delayMs(retryAttempt, jitter);
        LOG.info(
                "{}: frames {} to send again ({}); pausing {} ms (attempt {})",
                config.vin(),
                range(batch),
                why,
                delayMs,
                retryAttempt);
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(this::resume);
    }

    private void resume() {
        synchronized (lock) {
            paused = false;
        }
        request();
    }

    private static List<Long> seqs(List<BufferedFrame> batch) {
        return batch.stream().map(BufferedFrame::seq).toList();
    }

    private static String range(List<BufferedFrame> batch) {
        return batch.getFirst().seq() + ".." + batch.getLast().seq();
    }
}
