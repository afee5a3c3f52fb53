package io.tsunagu.protocol.telemetry;

import java.util.List;

/**
 * One decoded but not yet validated telemetry frame: everything sampled at one instant, as the car sent it.
 *
 * @param tsMs sample time, epoch milliseconds UTC
 * @param seq per-car sequence number or {@link Sample#NO_SEQ}
 * @param signals the values in the order they appeared in the payload
 */
public record RawFrame(long tsMs, long seq, List<RawSignal> signals) {
    public RawFrame {
        signals = List.copyOf(signals);
    }

    /**
     * One signal value before validation.
     *
     * @param path the VSS path as sent
     * @param value a {@code Double}, {@code Long}, {@code Boolean}, {@code String}, or a {@code List} of those, as
     *     decoded from JSON or protobuf; validation turns it into a {@link SignalValue}
     */
    public record RawSignal(String path, Object value) {}
}
