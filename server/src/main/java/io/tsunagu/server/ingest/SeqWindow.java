package io.tsunagu.server.ingest;

import io.tsunagu.protocol.Vin;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which sequence numbers each car sent recently so that a re-sent message (after a lost PUBACK or a
 * reconnect) reaches consumers once. Keeps the last {@link #WINDOW} numbers below each car's highest; older re-sends
 * pass through and are de-duplicated by the history store itself, which keys on (VIN, signal, time, seq) and so also
 * covers a server restart.
 */
final class SeqWindow {
    static final int WINDOW = 1 << 16;

    private final Map<Vin, CarWindow> cars = new ConcurrentHashMap<>();

    private static final class CarWindow {
        long highest = Long.MIN_VALUE;
        final BitSet seen = new BitSet(WINDOW);
    }

    /** Marks {@code seq} seen for the car; false if it was already seen within the window. */
    boolean firstTime(Vin vin, long seq) {
        CarWindow window = cars.computeIfAbsent(vin, v -> new CarWindow());
        synchronized (window) {
            if (window.highest == Long.MIN_VALUE) {
                window.highest = seq;
                window.seen.set(slot(seq));
                return true;
            }
            if (seq > window.highest) {
                clearRange(window, window.highest + 1, seq);
                window.highest = seq;
                window.seen.set(slot(seq));
                return true;
            }
            if (window.highest - seq >= WINDOW) {
                return true;
            }
            int slot = slot(seq);
            if (window.seen.get(slot)) {
                return false;
            }
            window.seen.set(slot);
            return true;
        }
    }

    private static void clearRange(CarWindow window, long fromInclusive, long toInclusive) {
        if (toInclusive - fromInclusive >= WINDOW) {
            window.seen.clear();
            return;
        }
        for (long s = fromInclusive; s <= toInclusive; s++) {
            window.seen.clear(slot(s));
        }
    }

    private static int slot(long seq) {
        return (int) Math.floorMod(seq, (long) WINDOW);
    }
}
