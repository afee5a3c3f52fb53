package io.tsunagu.agent.update;

import io.tsunagu.protocol.update.FetchedMetadata;

/**
 * Where the car fetches Uptane metadata: its director repository and the image repository, as raw signed files (the
 * {@link io.tsunagu.protocol.update.UpdateVerifier} checks them). Thread-safe; calls block.
 */
public interface MetadataChannel {
    /**
     * The director's current files, with every root newer than {@code trustedRootVersion}, oldest first.
     *
     * @throws io.tsunagu.agent.AgentException {@code update_server_unreachable} (retriable) on I/O faults or 5xx
     */
    FetchedMetadata director(long trustedRootVersion);

    /** The image repository's current files; see {@link #director}. */
    FetchedMetadata image(long trustedRootVersion);
}
