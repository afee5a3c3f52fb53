package io.tsunagu.server.history.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryPoint;
import io.tsunagu.server.history.HistoryQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What the raw-range plan tests compare: every page of a query, and the points the stored samples say it must give. */
final class RawPages {
    private RawPages() {}

    /** Every point of {@code first} and the pages after it, following the cursors. */
    static List<HistoryPoint> all(QuestDbHistoryQueries queries, HistoryQuery first) {
        List<HistoryPoint> points = new ArrayList<>();
        Optional<HistoryQuery> next = Optional.of(first);
        while (next.isPresent()) {
            HistoryQuery query = next.get();
            HistoryPage page = queries.page(query);
            points.addAll(page.points());
            next = page.nextCursor().map(query::after);
        }
        return points;
    }

    /** The car's stored samples of {@code paths} (all if empty) in [from, to), in the API's order (ts, path, seq). */
    static List<HistoryPoint> expected(Collection<Sample> stored, Vin vin, List<String> paths, long from, long to) {
        return stored.stream()
                .filter(s -> s.vin().equals(vin) && s.tsMs() >= from && s.tsMs() < to)
                .filter(s -> paths.isEmpty() || paths.contains(s.path()))
                .sorted(Comparator.comparingLong(Sample::tsMs)
                        .thenComparing(Sample::path)
                        .thenComparingLong(Sample::seq))
                .map(s -> new HistoryPoint(s.path(), s.tsMs(), s.value()))
                .toList();
    }
}
