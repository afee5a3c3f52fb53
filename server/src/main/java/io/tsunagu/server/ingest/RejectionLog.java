package io.tsunagu.server.ingest;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.server.observe.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What was refused, per car: the last {@value #KEEP_PER_CAR} rejections of each car (visible at {@code GET
 * /api/v1/vehicles/{vin}/rejections}), a counter per reason ({@code tsunagu_ingest_rejected_total{reason=...}}) and a
 * WARN log line, throttled to one line per car per {@value #LOG_EVERY_MS} ms so a flooding car cannot flood the log.
 */
public final class RejectionLog {
    private static final Logger LOG = LoggerFactory.getLogger(RejectionLog.class);
    static final int KEEP_PER_CAR = 100;
    static final long LOG_EVERY_MS = 10_000;

    /** One refused message or value. */
    public record Rejection(Instant at, RejectReason reason, Optional<String> path, String message) {}

    private static final class CarLog {
        final Deque<Rejection> recent = new ArrayDeque<>();
        long total;
        long lastLoggedMs = Long.MIN_VALUE;
        long suppressed;
    }

    private final Map<Vin, CarLog> cars = new ConcurrentHashMap<>();
    private final Map<RejectReason, LongAdder> counters = new EnumMap<>(RejectReason.class);
    private final Clock clock;

    public RejectionLog(Metrics metrics, Clock clock) {
        this.clock = clock;
        for (RejectReason reason : RejectReason.values()) {
            counters.put(
                    reason,
                    metrics.counter(
                            "tsunagu_ingest_rejected_total",
                            "Telemetry messages or values refused, by reason",
                            "reason",
                            reason.code()));
        }
    }

    /** Records one rejection for a car. */
    public void record(Vin vin, RejectReason reason, Optional<String> path, String message) {
        counters.get(reason).increment();
        Instant now = clock.instant();
        Rejection rejection = new Rejection(now, reason, path, message);
        CarLog log = cars.computeIfAbsent(vin, v -> new CarLog());
        boolean logNow;
        long suppressed;
        synchronized (log) {
            log.total++;
            log.recent.addLast(rejection);
            if (log.recent.size() > KEEP_PER_CAR) {
                log.recent.removeFirst();
            }
            logNow = now.toEpochMilli() - log.lastLoggedMs >= LOG_EVERY_MS;
            if (logNow) {
                log.lastLoggedMs = now.toEpochMilli();
                suppressed = log.suppressed;
                log.suppressed = 0;
            } else {
                log.suppressed++;
                suppressed = 0;
            }
        }
        if (logNow) {
            LOG.warn(
                    "[vin={}] telemetry rejected ({}): {}{}",
                    vin,
                    reason.code(),
                    message,
                    suppressed > 0 ? " (+" + suppressed + " more since the last line)" : "");
        }
    }

    /** The car's most recent rejections, newest last. */
    public List<Rejection> recent(Vin vin) {
        CarLog log = cars.get(vin);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return List.copyOf(log.recent);
        }
    }

    /** All rejections of the car since the server started. */
    public long total(Vin vin) {
        CarLog log = cars.get(vin);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.total;
        }
    }
}
