package io.tsunagu.server.history;

import java.util.List;
import java.util.Optional;

/**
 * One page of a history answer, ordered by time and then by path.
 *
 * @param points at most the query's limit
 * @param nextCursor present when more points follow; pass it as the next query's cursor to continue exactly after the
 *     last point of this page
 */
public record HistoryPage(List<HistoryPoint> points, Optional<String> nextCursor) {
    public HistoryPage {
        points = List.copyOf(points);
    }
}
