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
    /** Origin of the tickets' send times, so that a ticket's sign can say whether it is recorded. */
    private final long originNanos = System.nanoTime();

    private volatile boolean recording;

    /** Tracks one publish sent just now; returns the future, completed after the tracker has counted it. */
    CompletableFuture<Mqtt5PublishResult> track(CompletableFuture<Mqtt5PublishResult> publish) {
        long ticket = sentNow();
        return publish.whenComplete((result, error) -> {
            if (error != null || result.getError().isPresent()) {
                failed();
            } else {
                acked(ticket);
            }
        });
    }

    /**
     * Counts one publish sent just now and returns its ticket for {@link #acked(long)}: the send time, negative
     * (complemented) when sent outside the measured interval, so a generator keeps one {@code long} per message in
     * flight instead of a future.
     */
    long sentNow() {
        sent.increment();
        long sinceOrigin = System.nanoTime() - originNanos;
        return recording ? sinceOrigin : ~sinceOrigin;
    }

    /** The publish of {@code ticket} was acknowledged now; its latency is recorded if it was sent while recording. */
    void acked(long ticket) {
        acked.increment();
        if (ticket >= 0) {
            latencies.record(System.nanoTime() - originNanos - ticket);
        }
    }

    /** A publish was answered with an error reason code, or its connection closed before the answer. */
    void failed() {
        failed.increment();
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

    long failures() {
        return failed.sum();
    }

    /** Sent but neither acknowledged nor failed (yet). */
    long outstanding() {
        return sent() - acked() - failures();
    }

    Latencies latencies() {
        return latencies;
    }

    /** The telemetry measurement of {@code target}: {@code acked} messages over {@code interval}, these latencies. */
    Measurement measurement(String target, MeasuredInterval.Snapshot interval, long acked, Map<String, Double> extras) {
        return Measurement.of(
                target, "msg", interval, acked, failures(), outstanding(), BenchPayload.SIGNALS, latencies, extras);
    }

    /** Waits up to {@code timeoutMs} for every outstanding PUBACK. */
    void drain(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (outstanding() > 0 && System.nanoTime() < deadline) {
            ChildServer.sleep(20);
        }
    }
}
