package io.tsunagu.bench.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One engine's answer to one question in a form every engine can produce: rows of (key, time, number), where the key
 * is the signal path (history of one car) or the VIN (latest value of every car), and booleans count as 1 and 0. Rows
 * may come in any order; {@link #difference} compares them sorted.
 *
 * @param rows the answer's rows
 */
public record Answer(List<Row> rows) {
    private static final Comparator<Row> ORDER =
            Comparator.comparing(Row::key).thenComparingLong(Row::tsMs).thenComparingDouble(Row::value);

    /**
     * One row.
     *
     * @param key signal path or VIN
     * @param tsMs sample time or bucket start, epoch ms UTC
     * @param value the number (an average for downsampled rows)
     */
    public record Row(String key, long tsMs, double value) {}

    public Answer {
        rows = List.copyOf(rows);
    }

    public int size() {
        return rows.size();
    }

    /**
     * Where this answer and {@code other} differ, or empty when they hold the same rows: the same count, and row by
     * row (both sorted) the same key, time and value within {@code relativeTolerance} (sums and averages may be
     * folded in a different order).
     */
    public Optional<String> difference(Answer other, double relativeTolerance) {
        if (size() != other.size()) {
            return Optional.of(size() + " rows vs " + other.size());
        }
        List<Row> mine = sorted();
        List<Row> theirs = other.sorted();
        for (int i = 0; i < mine.size(); i++) {
            Row a = mine.get(i);
            Row b = theirs.get(i);
            double tolerance = relativeTolerance * Math.max(1, Math.max(Math.abs(a.value()), Math.abs(b.value())));
            if (!a.key().equals(b.key()) || a.tsMs() != b.tsMs() || Math.abs(a.value() - b.value()) > tolerance) {
                return Optional.of("row " + i + ": " + a + " vs " + b);
            }
        }
        return Optional.empty();
    }

    private List<Row> sorted() {
        List<Row> copy = new ArrayList<>(rows);
        copy.sort(ORDER);
        return copy;
    }
}
