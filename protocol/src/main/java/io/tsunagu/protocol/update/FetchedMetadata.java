package io.tsunagu.protocol.update;

import java.util.List;

/**
 * The raw files the car downloaded from one repository, before any check. Raw bytes, because snapshot and targets
 * are checked against the length and hash their parent names before they are parsed.
 *
 * @param newRoots roots newer than the trusted one, oldest first (empty when root did not change)
 */
public record FetchedMetadata(List<byte[]> newRoots, byte[] timestamp, byte[] snapshot, byte[] targets) {
    public FetchedMetadata {
        newRoots = List.copyOf(newRoots);
    }

    /** The files as a {@link RepositorySigner} published them, with the roots after {@code trustedRootVersion}. */
    public static FetchedMetadata from(RepositorySigner repository, long trustedRootVersion) {
        RepositorySigner.Published published =
                repository.current().orElseThrow(() -> new IllegalStateException("repository has published nothing"));
        return new FetchedMetadata(
                repository.rootsAfter(trustedRootVersion).stream()
                        .map(SignedMetadata::toJsonBytes)
                        .toList(),
                published.timestamp().toJsonBytes(),
                published.snapshot().toJsonBytes(),
                published.targets().toJsonBytes());
    }
}
