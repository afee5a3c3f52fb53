package io.tsunagu.server.twin;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory twins of all cars. Thread-safe: cars live in a {@link ConcurrentHashMap} and each car's state is
 * guarded by its own lock, so ingest threads for different cars never contend and a snapshot is always consistent.
 *
 * <p>Ordering rule: a reported value is replaced only by a sample whose (tsMs, seq) is at least the stored one. Samples
 * arriving late (buffered by the car, re-sent, or applied by racing threads) therefore never move the twin backwards,
 * re-applying a sample is a no-op, and two samples with the same time resolve to the higher sequence number whatever
 * order they arrive in. Connection events older than the last applied one are ignored for the same reason.
 */
public final class TwinStore {
    private final Map<Vin, CarState> cars = new ConcurrentHashMap<>();

    /**
     * Applies accepted samples of one car.
     *
     * @throws TsunaguException if a sample belongs to another car
     */
    public void apply(Vin vin, List<Sample> samples) {
        for (Sample sample : samples) {
            if (!sample.vin().equals(vin)) {
                throw new TsunaguException(
                        "vin_mismatch", "sample of " + sample.vin() + " applied to the twin of " + vin, false);
            }
        }
        state(vin).apply(samples);
    }

    /**
     * Applies a group commit's samples of many cars, in order. The samples of one message are adjacent, so each run of
     * one car's samples is applied as it stands (a view of {@code samples}, no grouping map, no copies); every car's
     * samples are applied in their order, and the ordering rule makes the result the same as grouping by car first.
     */
    public void applyCommitted(List<Sample> samples) {
        int start = 0;
        for (int i = 1; i <= samples.size(); i++) {
            Vin vin = samples.get(start).vin();
            if (i == samples.size() || !samples.get(i).vin().equals(vin)) {
                state(vin).apply(samples.subList(start, i));
                start = i;
            }
        }
    }

    /** Records that the car connected ({@code online}) or disconnected at {@code at}. */
    public void connectionChanged(Vin vin, boolean online, Instant at) {
        state(vin).connectionChanged(online, at.toEpochMilli());
    }

    /** Requests {@code value} for {@code path}; it stays desired until {@link #clearDesired} removes it. */
    public void setDesired(Vin vin, String path, SignalValue value, Instant at) {
        state(vin).setDesired(path, new TwinValue(value, at.toEpochMilli()));
    }

    /** Withdraws the desired value of {@code path}, if any. */
    public void clearDesired(Vin vin, String path) {
        CarState state = cars.get(vin);
        if (state != null) {
            state.clearDesired(path);
        }
    }

    /**
     * A snapshot of the car's twin, or empty if nothing is known of it. Until the car's twin changes, every call
     * returns the same instance (built once, on the first read after a change), so a reader may key its own caches of
     * derived data (rendered JSON) on the instance's identity.
     */
    public Optional<Twin> get(Vin vin) {
        CarState state = cars.get(vin);
        return state == null ? Optional.empty() : Optional.of(state.snapshot(vin));
    }

    /** Snapshots of all twins, ordered by VIN. */
    public List<Twin> all() {
        return cars.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().snapshot(e.getKey()))
                .toList();
    }

    /** Number of cars with a twin. */
    public int size() {
        return cars.size();
    }

    /**
     * Rebuilds reported values from the history's latest samples per car (at server start). Cars come back offline;
     * live samples already applied are kept where newer.
     */
    public void restore(Map<Vin, List<Sample>> latest) {
        latest.forEach(this::apply);
    }

    private CarState state(Vin vin) {
        return cars.computeIfAbsent(vin, v -> new CarState());
    }

    /**
     * One car's mutable twin; every change holds the instance lock and drops the cached snapshot first, and so does
     * building a snapshot; reading a snapshot already built takes no lock.
     */
    private static final class CarState {
        private static final Comparator<Reported> ORDER =
                Comparator.comparingLong((Reported r) -> r.value().tsMs()).thenComparingLong(Reported::seq);

        private final Map<String, Reported> reported = new HashMap<>();
        private final Map<String, TwinValue> desired = new HashMap<>();
        private boolean online;
        private long lastSeenMs = Long.MIN_VALUE;
        private long connectionEventMs = Long.MIN_VALUE;
        private long connectedSinceMs = Long.MIN_VALUE;
        /**
         * The snapshot of the current state, built by the first read after a change. Volatile so a read of an
         * unchanged twin takes no lock: it is set under the lock to a complete, immutable snapshot, and every change
         * clears it under the lock before it changes the state.
         */
        private volatile @Nullable Twin snapshot;

        synchronized void apply(List<Sample> samples) {
            snapshot = null;
            for (Sample sample : samples) {
                Reported candidate = new Reported(new TwinValue(sample.value(), sample.tsMs()), sample.seq());
                reported.merge(sample.path(), candidate, (old, now) -> ORDER.compare(now, old) >= 0 ? now : old);
                lastSeenMs = Math.max(lastSeenMs, sample.tsMs());
            }
        }

        synchronized void connectionChanged(boolean nowOnline, long atMs) {
            snapshot = null;
            lastSeenMs = Math.max(lastSeenMs, atMs);
            if (atMs < connectionEventMs) {
                return;
            }
            connectionEventMs = atMs;
            online = nowOnline;
            connectedSinceMs = nowOnline ? atMs : Long.MIN_VALUE;
        }

        synchronized void setDesired(String path, TwinValue value) {
            snapshot = null;
            desired.put(path, value);
        }

        synchronized void clearDesired(String path) {
            snapshot = null;
            desired.remove(path);
        }

        Twin snapshot(Vin vin) {
            Twin known = snapshot;
            return known != null ? known : buildSnapshot(vin);
        }

        private synchronized Twin buildSnapshot(Vin vin) {
            Twin known = snapshot;
            if (known == null) {
                known = build(vin);
                snapshot = known;
            }
            return known;
        }

        private Twin build(Vin vin) {
            // Sorted already, so the snapshot's own sorted copy (Twin) is a linear copy, not a second sort.
            Map<String, TwinValue> values = new TreeMap<>();
            reported.forEach((path, r) -> values.put(path, r.value()));
            Map<String, DeltaEntry> delta = new HashMap<>();
            desired.forEach((path, wanted) -> {
                Optional<TwinValue> actual = Optional.ofNullable(values.get(path));
                if (actual.map(a -> !a.value().equals(wanted.value())).orElse(true)) {
                    delta.put(path, new DeltaEntry(wanted, actual));
                }
            });
            return new Twin(vin, online, instant(lastSeenMs), instant(connectedSinceMs), values, desired, delta);
        }

        private static Optional<Instant> instant(long epochMs) {
            return epochMs == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(epochMs));
        }
    }

    /** A reported value with the sequence number that breaks ties between samples of the same time. */
    private record Reported(TwinValue value, long seq) {}
}
