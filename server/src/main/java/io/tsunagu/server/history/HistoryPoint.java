package io.tsunagu.server.history;

import io.tsunagu.protocol.telemetry.SignalValue;

/**
 * One point of a history answer.
 *
 * <p>Raw mode: one stored sample, {@code tsMs} is its time and {@code value} its typed value. Downsampled mode: one
 * bucket of one signal, {@code tsMs} is the bucket start (epoch-aligned: a multiple of the step) and {@code value} is a
 * {@link SignalValue.Num} for {@code MIN}/{@code MAX}/{@code AVG}, or the bucket's last value with its own type for
 * {@code LAST}.
 *
 * @param path VSS path
 * @param tsMs sample time or bucket start, epoch milliseconds UTC
 * @param value the value
 */
public record HistoryPoint(String path, long tsMs, SignalValue value) {}
