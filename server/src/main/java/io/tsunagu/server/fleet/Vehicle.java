package io.tsunagu.server.fleet;

import io.tsunagu.protocol.Vin;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A registered vehicle as the registry stores it. {@code tags} is sorted and unmodifiable; {@code certificate} is the
 * most recently issued certificate (older ones may still be valid); {@code revoked} is true exactly when
 * {@code revokedAt} is present.
 */
public record Vehicle(
        Vin vin,
        String model,
        String owner,
        Set<String> tags,
        Instant registeredAt,
        Optional<CertificateInfo> certificate,
        boolean revoked,
        Optional<Instant> revokedAt) {
    public Vehicle {
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(tags));
        if (revoked != revokedAt.isPresent()) {
            throw new IllegalArgumentException("revoked must be true exactly when revokedAt is present");
        }
    }
}
