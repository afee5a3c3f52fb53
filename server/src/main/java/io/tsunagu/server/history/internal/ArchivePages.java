package io.tsunagu.server.history.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryPoint;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.history.SampleStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * History pages across the hot/cold boundary: splits a query's range into segments of archived days and of days in the
 * native table, asks each in time order ({@link ArchiveSegments} for archived ones, the native store's own plans for
 * the rest) and joins their points into one page. Cursors are the native store's {@link PageCursor}s, so a page may
 * start in one kind of segment and continue in another; at a segment boundary the cursor's sequence number is {@link
 * Long#MAX_VALUE} (after every sample of that time and path), since the next point lies in a later segment anyway.
 *
 * <p>Downsampled segments of archived days are widened to whole buckets, so no bucket is split between the two
 * sources. Thread-safe.
 */
public final class ArchivePages {
    static final long DAY_MS = 86_400_000L;
    private static final int MAX_READS = 5;

    private final SampleStore hot;
    private final ParquetArchive archive;
    private final ArchiveSegments cold;

    public ArchivePages(SampleStore hot, ParquetArchive archive, ArchiveSegments cold) {
        this.hot = hot;
        this.archive = archive;
        this.cold = cold;
    }

    /** A stretch of the query's range, read from one kind of source. */
    record Segment(long fromMs, long toMs, List<LocalDate> archivedDays) {
        boolean archived() {
            return !archivedDays.isEmpty();
        }
    }

    /** One segment's share of a page. */
    record Part(List<HistoryPoint> points, Optional<String> nextCursor, Optional<PageCursor> last) {}

    /**
     * Days dropped from the native table since open. A page computed while a day moved (its segments chosen before
     * the day's file existed, its native read after the drop) would miss that day; {@link #page} reads again then.
     */
    private final AtomicLong drops = new AtomicLong();

    /** Called after a day's partition was dropped (its file exists since before the drop). */
    public void dayDropped() {
        drops.incrementAndGet();
    }

    /**
     * One page of {@code query}, read again if a day moved to the archive meanwhile. A day's export takes seconds and
     * a page milliseconds, so the second read is stable; the bound only guards against a runaway loop.
     */
    public HistoryPage page(HistoryQuery query) {
        HistoryPage page;
        int attempts = 0;
        long before;
        do {
            before = drops.get();
            page = pageOnce(query);
        } while (drops.get() != before && ++attempts < MAX_READS);
        return page;
    }

    private HistoryPage pageOnce(HistoryQuery query) {
        Optional<PageCursor> after = query.cursor().map(PageCursor::decode);
        long fromMs = Math.max(query.fromMs(), after.map(PageCursor::tsMs).orElse(query.fromMs()));
        List<Segment> segments = segments(query, fromMs);
        if (segments.stream().noneMatch(Segment::archived)) {
            return hot.query(query); // the common case: no archived day in range
        }
        List<HistoryPoint> points = new ArrayList<>();
        Optional<PageCursor> last = Optional.empty();
        for (int i = 0; i < segments.size(); i++) {
            int remaining = query.limit() - points.size();
            if (remaining == 0) {
                boolean more = anyPoint(query, after, segments.subList(i, segments.size()));
                return new HistoryPage(points, more ? last.map(PageCursor::encode) : Optional.empty());
            }
            Part part = part(query, segments.get(i), after, remaining);
            points.addAll(part.points());
            if (part.nextCursor().isPresent()) {
                return new HistoryPage(points, part.nextCursor());
            }
            last = part.last().isPresent() ? part.last() : last;
        }
        return new HistoryPage(points, Optional.empty());
    }

    private boolean anyPoint(HistoryQuery query, Optional<PageCursor> after, List<Segment> later) {
        for (Segment segment : later) {
            if (!part(query, segment, after, 1).points().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private Part part(HistoryQuery query, Segment segment, Optional<PageCursor> after, int limit) {
        if (segment.archived()) {
            return cold.part(query, segment, after, limit);
        }
        HistoryQuery native_ = new HistoryQuery(
                query.vin(),
                query.paths(),
                segment.fromMs(),
                segment.toMs(),
                query.stepMs(),
                query.aggregate(),
                limit,
                after.map(PageCursor::encode));
        HistoryPage page = hot.query(native_);
        Optional<PageCursor> last = page.points().isEmpty()
                ? Optional.empty()
                : Optional.of(boundary(page.points().getLast()));
        return new Part(page.points(), page.nextCursor(), last);
    }

    /** A cursor after every point at {@code point}'s time and path: valid when the next point is in a later segment. */
    private static PageCursor boundary(HistoryPoint point) {
        return new PageCursor(point.tsMs(), point.path(), Long.MAX_VALUE);
    }

    /**
     * The segments of {@code [fromMs, query.toMs())}: runs of archived days (widened to whole buckets when downsampled)
     * and the stretches between them, in time order.
     */
    List<Segment> segments(HistoryQuery query, long fromMs) {
        List<Segment> archived = new ArrayList<>();
        long toMs = query.toMs();
        if (fromMs >= toMs) {
            return List.of();
        }
        long firstDay = Math.floorDiv(fromMs, DAY_MS);
        long lastDay = Math.floorDiv(toMs - 1, DAY_MS);
        List<LocalDate> run = new ArrayList<>();
        for (long day = firstDay; day <= lastDay + 1; day++) {
            LocalDate date = LocalDate.ofEpochDay(day);
            if (day <= lastDay && archive.archived(date)) {
                run.add(date);
            } else if (!run.isEmpty()) {
                long start = Math.max(fromMs, run.getFirst().toEpochDay() * DAY_MS);
                long end = Math.min(toMs, (run.getLast().toEpochDay() + 1) * DAY_MS);
                addWidened(archived, query, fromMs, start, end, run);
                run = new ArrayList<>();
            }
        }
        return withGaps(archived, fromMs, toMs);
    }

    private static void addWidened(
            List<Segment> archived, HistoryQuery query, long fromMs, long start, long end, List<LocalDate> run) {
        if (query.stepMs().isPresent()) {
            long step = query.stepMs().get();
            start = Math.max(fromMs, Math.floorDiv(start, step) * step);
            long lastBucket = Math.floorDiv(end - 1, step) * step; // before toMs, so the subtraction cannot overflow
            end = query.toMs() - lastBucket <= step ? query.toMs() : lastBucket + step;
        }
        if (!archived.isEmpty() && archived.getLast().toMs() >= start) {
            Segment previous = archived.removeLast();
            List<LocalDate> days = new ArrayList<>(previous.archivedDays());
            days.addAll(run);
            archived.add(new Segment(previous.fromMs(), Math.max(previous.toMs(), end), List.copyOf(days)));
        } else {
            archived.add(new Segment(start, end, List.copyOf(run)));
        }
    }

    private static List<Segment> withGaps(List<Segment> archived, long fromMs, long toMs) {
        List<Segment> all = new ArrayList<>();
        long at = fromMs;
        for (Segment segment : archived) {
            if (segment.fromMs() > at) {
                all.add(new Segment(at, segment.fromMs(), List.of()));
            }
            all.add(segment);
            at = segment.toMs();
        }
        if (at < toMs) {
            all.add(new Segment(at, toMs, List.of()));
        }
        return all;
    }

    /** The series filter of one car's query in the archive's SQL: its named paths, or every series of the car. */
    static String seriesFilter(Vin vin, List<String> paths) {
        String prefix = vin.value() + SamplesTable.SEPARATOR;
        if (paths.isEmpty()) { // '0' follows the separator '/', so this range is exactly the car's series
            return "series >= " + ParquetArchive.literal(prefix) + " AND series < "
                    + ParquetArchive.literal(vin.value() + (char) (SamplesTable.SEPARATOR + 1));
        }
        List<String> keys = paths.stream().map(p -> prefix + p).sorted().toList();
        StringBuilder sql = new StringBuilder("series >= " + ParquetArchive.literal(keys.getFirst()) + " AND series <= "
                + ParquetArchive.literal(keys.getLast()) + " AND series IN (");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(ParquetArchive.literal(keys.get(i)));
        }
        return sql.append(')').toString();
    }
}
