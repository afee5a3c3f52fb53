package io.tsunagu.server.twin;

import io.tsunagu.protocol.Vin;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of one car's twin. Maps are sorted by VSS path.
 *
 * @param vin the car
 * @param online whether the car holds a connection now
 * @param lastSeen the latest of its sample times and connection events
 * @param connectedSince when the current connection began; empty while offline
 * @param reported the newest reported value per signal
 * @param desired requested values per signal, kept until cleared
 * @param delta desired entries whose value differs from the reported one (or that were never reported)
 */
public record Twin(
        Vin vin,
        boolean online,
        Optional<Instant> lastSeen,
        Optional<Instant> connectedSince,
        Map<String, TwinValue> reported,
        Map<String, TwinValue> desired,
        Map<String, DeltaEntry> delta) {

    public Twin {
        reported = sorted(reported);
        desired = sorted(desired);
        delta = sorted(delta);
    }

    private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
