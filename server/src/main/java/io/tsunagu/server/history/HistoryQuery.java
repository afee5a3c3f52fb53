package io.tsunagu.server.history;

import io.tsunagu.protocol.Vin;
import java.util.List;
import java.util.Optional;

/**
 * A history question for one car. Construction validates every parameter and throws {@link InvalidQueryException}
 * naming what is wrong, so a store only ever sees answerable queries.
 *
 * @param vin the car
 * @param paths VSS paths to return; empty means every signal (for numeric aggregates: every numeric signal)
 * @param fromMs start, inclusive, epoch milliseconds UTC, at least 0
 * @param toMs end, exclusive, greater than {@code fromMs}, at most {@link #MAX_TS_MS}
 * @param stepMs bucket width for downsampling; empty returns the raw samples
 * @param aggregate how a bucket is folded; ignored in raw mode
 * @param limit most points per page, 1 to {@link #MAX_LIMIT}
 * @param cursor the {@link HistoryPage#nextCursor()} of the previous page, or empty for the first page
 */
public record HistoryQuery(
        Vin vin,
        List<String> paths,
        long fromMs,
        long toMs,
        Optional<Long> stepMs,
        Aggregate aggregate,
        int limit,
        Optional<String> cursor) {

    /** Largest page a caller may ask for. */
    public static final int MAX_LIMIT = 10_000;

    /** Latest representable time: 9999-12-31T23:59:59.999Z. */
    public static final long MAX_TS_MS = 253_402_300_799_999L;

    public HistoryQuery {
        paths = List.copyOf(paths);
        for (String path : paths) {
            require(!path.isBlank(), "paths must not contain a blank path");
        }
        require(fromMs >= 0, "from must be at or after 1970-01-01T00:00:00Z, got " + fromMs);
        require(toMs <= MAX_TS_MS, "to must be at most " + MAX_TS_MS + " ms, got " + toMs);
        require(fromMs < toMs, "from (" + fromMs + ") must be before to (" + toMs + ")");
        stepMs.ifPresent(step -> require(step > 0, "step must be positive, got " + step + " ms"));
        require(limit >= 1 && limit <= MAX_LIMIT, "limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        cursor.ifPresent(c -> require(!c.isBlank(), "cursor must not be blank"));
    }

    /** A first-page query for the raw samples of {@code paths} (empty = all) in {@code [fromMs, toMs)}. */
    public static HistoryQuery raw(Vin vin, List<String> paths, long fromMs, long toMs, int limit) {
        return new HistoryQuery(vin, paths, fromMs, toMs, Optional.empty(), Aggregate.LAST, limit, Optional.empty());
    }

    /** A first-page query for {@code paths} folded into buckets of {@code stepMs} by {@code aggregate}. */
    public static HistoryQuery downsampled(
            Vin vin, List<String> paths, long fromMs, long toMs, long stepMs, Aggregate aggregate, int limit) {
        return new HistoryQuery(vin, paths, fromMs, toMs, Optional.of(stepMs), aggregate, limit, Optional.empty());
    }

    /** The same query continued after the page that returned {@code nextCursor}. */
    public HistoryQuery after(String nextCursor) {
        return new HistoryQuery(vin, paths, fromMs, toMs, stepMs, aggregate, limit, Optional.of(nextCursor));
    }

    /** True when samples are folded into buckets. */
    public boolean downsampled() {
        return stepMs.isPresent();
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new InvalidQueryException(problem);
        }
    }
}
