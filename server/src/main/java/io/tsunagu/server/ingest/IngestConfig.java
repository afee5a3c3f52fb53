package io.tsunagu.server.ingest;

/**
 * Limits of the ingest path.
 *
 * @param maxPayloadBytes larger telemetry messages are refused with {@code payload_too_large} (default 256 KiB)
 * @param messagesPerSecondPerCar sustained per-car message rate; {@code <= 0} disables the limit (default 50)
 * @param burstPerCar per-car burst allowance in messages (default 500, so a car re-sending its offline buffer in
 *     batches is not throttled at once)
 * @param maxBatchSamples soft cap of samples per group commit (default 200,000)
 */
public record IngestConfig(
        int maxPayloadBytes, double messagesPerSecondPerCar, double burstPerCar, int maxBatchSamples) {

    public static IngestConfig defaults() {
        return new IngestConfig(256 * 1024, 50, 500, 200_000);
    }

    public IngestConfig {
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("ingest.max-payload-bytes must be > 0, got " + maxPayloadBytes);
        }
        if (maxBatchSamples <= 0) {
            throw new IllegalArgumentException("ingest.max-batch-samples must be > 0, got " + maxBatchSamples);
        }
    }
}
