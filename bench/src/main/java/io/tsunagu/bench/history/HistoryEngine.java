package io.tsunagu.bench.history;

import io.tsunagu.protocol.Vin;

/**
 * The three questions of the {@code history-query} benchmark, asked of one engine over the same rows. Each call is one
 * complete answer (all pages, every row read into Java) and may be repeated. Not thread-safe: one caller at a time.
 */
public interface HistoryEngine extends AutoCloseable {
    /** The target's name in the report, e.g. {@code duckdb}. */
    String name();

    /** The average of {@code path} of car {@code vin} per bucket of {@code stepMs} in {@code [fromMs, toMs)}. */
    Answer downsampled(Vin vin, String path, long fromMs, long toMs, long stepMs);

    /** Every raw sample of every signal of car {@code vin} in {@code [fromMs, toMs)}. */
    Answer raw(Vin vin, long fromMs, long toMs);

    /** The newest sample of {@code path} of every car, keyed by VIN. */
    Answer latestOfEveryCar(String path);

    @Override
    void close();
}
