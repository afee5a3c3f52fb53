package io.tsunagu.bench.load;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts QoS 1 publishes and their PUBACKs, and records publish-to-PUBACK latency while {@link #recording} is on (the
 * measured interval, after the warm-up). A PUBACK with an error reason code counts as failed.
 */
final class AckTracker {
    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Latencies latencies = new Latencies();
    private volatile boolean recording;

    /** Tracks one publish sent just now; returns the future, completed after the tracker has counted it. */
    CompletableFuture<Mqtt5PublishResult> track(CompletableFuture<Mqtt5PublishResult> publish) {
        long sentAt = System.nanoTime();
        sent.increment();
        boolean record = recording;
        return publish.whenComplete((result, error) -> {
            if (error != null || result.getError().isPresent()) {
                failed.increment();
                return;
            }
            acked.increment();
            if (record) {
                latencies.record(System.nanoTime() - sentAt);
            }
        });
    }

    void recording(boolean on) {
        recording = on;
    }

    long sent() {
        return sent.sum();
    }

    long acked() {
        return acked.sum();
    }

    long failed() {
        return failed.sum();
    }

    /** Sent but neither acknowledged nor failed (yet). */
    long outstanding() {
        return sent() - acked() - failed();
    }

    Latencies latencies() {
        return latencies;
    }

    /** The telemetry measurement of {@code target}: {@code acked} messages over {@code interval}, these latencies. */
    Measurement measurement(String target, MeasuredInterval.Snapshot interval, long acked, Map<String, Double> extras) {
        return Measurement.of(
                target, "msg", interval, acked, failed(), outstanding(), BenchPayload.SIGNALS, latencies, extras);
    }

    /** Waits up to {@code timeoutMs} for every outstanding PUBACK. */
    void drain(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (outstanding() > 0 && System.nanoTime() < deadline) {
            ChildServer.sleep(20);
        }
    }
}
