package io.tsunagu.server.history.internal;

import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Cuts one page out of points that arrive in time order, giving them the full order (time, path, seq) and continuing
 * exactly after a cursor. Points at the same time are collected and sorted here, so the engine only needs to stream in
 * time order (cheap on a time-partitioned table) instead of sorting a whole range by path. Not thread-safe: one per
 * query.
 */
public final class PageBuilder {
    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::tsMs).thenComparing(Entry::path).thenComparingLong(Entry::seq);

    private final int limit;
    private final Optional<PageCursor> after;
    private final List<Entry> sameTime = new ArrayList<>();
    private final List<Entry> page = new ArrayList<>();

    public PageBuilder(int limit, Optional<PageCursor> after) {
        this.limit = limit;
        this.after = after;
    }

    /**
     * Offers the next point; points must come in non-decreasing time.
     *
     * @return false once the page is complete and the caller may stop reading
     */
    public boolean offer(HistoryPoint point, long seq) {
        if (!sameTime.isEmpty() && sameTime.get(0).tsMs() != point.tsMs()) {
            flushSameTime();
            if (page.size() > limit) {
                return false;
            }
        }
        sameTime.add(new Entry(point, seq));
        return true;
    }

    /** The page: at most {@code limit} points, and a cursor when at least one more point exists. */
    public HistoryPage finish() {
        flushSameTime();
        if (page.size() <= limit) {
            return new HistoryPage(page.stream().map(Entry::point).toList(), Optional.empty());
        }
        Entry last = page.get(limit - 1);
        PageCursor next = new PageCursor(last.tsMs(), last.path(), last.seq());
        return new HistoryPage(page.subList(0, limit).stream().map(Entry::point).toList(), Optional.of(next.encode()));
    }

    private void flushSameTime() {
        sameTime.sort(ORDER);
        for (Entry entry : sameTime) {
            if (after.map(c -> c.isBefore(entry.tsMs(), entry.path(), entry.seq()))
                    .orElse(true)) {
                page.add(entry);
            }
        }
        sameTime.clear();
    }

    private record Entry(HistoryPoint point, long seq) {
        long tsMs() {
            return point.tsMs();
        }

        String path() {
            return point.path();
        }
    }
}
