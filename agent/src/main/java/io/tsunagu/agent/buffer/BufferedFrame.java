package io.tsunagu.agent.buffer;

/**
 * One frame waiting in the {@link DiskBuffer}.
 *
 * @param seq the per-car sequence number the frame was given when it was recorded
 * @param payload the encoded frame (a serialized {@code TelemetryFrame})
 */
public record BufferedFrame(long seq, byte[] payload) {}
