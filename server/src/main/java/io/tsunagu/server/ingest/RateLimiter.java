package io.tsunagu.server.ingest;

import io.tsunagu.protocol.Vin;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-car token bucket on telemetry messages: a car may send {@code messagesPerSecond} on average with bursts up to
 * {@code burst}. A flood from one car is refused for that car only; other cars have their own buckets.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<Vin, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }

    /**
     * @param messagesPerSecond sustained rate; {@code <= 0} disables the limit
     * @param burst bucket size in messages
     * @param nanoClock monotonic time source ({@code System::nanoTime}; tests inject their own)
     */
    public RateLimiter(double messagesPerSecond, double burst, LongSupplier nanoClock) {
        this.perNano = messagesPerSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.nanoClock = nanoClock;
    }

    /** Takes one token for this car; false if its bucket is empty. */
    public boolean tryAcquire(Vin vin) {
        if (perNano <= 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(vin, v -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.lastNanos) * perNano);
            bucket.lastNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
