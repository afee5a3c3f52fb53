package io.tsunagu.agent.update;

/**
 * Progress of writing an image into a slot (not durable: the durable steps go through the {@link UpdateOutbox}).
 * Called on the installing thread after every chunk written (64 KiB); must be cheap and must not block.
 */
@FunctionalInterface
public interface InstallProgress {
    /** Ignores progress. */
    InstallProgress NONE = (writtenBytes, totalBytes) -> {};

    /** {@code writtenBytes} of {@code totalBytes} are in the slot. */
    void written(long writtenBytes, long totalBytes);
}
