package io.tsunagu.bench.history;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.history.Aggregate;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryPoint;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.history.QuestDbSampleStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tsunagu's own history API on its store: {@link QuestDbSampleStore#query} page by page with the largest page a caller
 * may ask for ({@link HistoryQuery#MAX_LIMIT}), exactly what {@code GET /api/v1/vehicles/{vin}/history?limit=10000}
 * runs (without HTTP and JSON). The latest SoC of every car is {@link QuestDbSampleStore#latestOfEveryCar(String)},
 * the store's one-signal fleet read (one row per car).
 */
public final class TsunaguHistory implements HistoryEngine {
    private final QuestDbSampleStore store;

    /** Answers from {@code store}; {@link #close()} closes it. */
    public TsunaguHistory(QuestDbSampleStore store) {
        this.store = store;
    }

    /** The store the answers come from, for loading it. */
    public QuestDbSampleStore store() {
        return store;
    }

    @Override
    public String name() {
        return "tsunagu";
    }

    @Override
    public Answer downsampled(Vin vin, String path, long fromMs, long toMs, long stepMs) {
        return allPages(HistoryQuery.downsampled(
                vin, List.of(path), fromMs, toMs, stepMs, Aggregate.AVG, HistoryQuery.MAX_LIMIT));
    }

    @Override
    public Answer raw(Vin vin, long fromMs, long toMs) {
        return allPages(HistoryQuery.raw(vin, List.of(), fromMs, toMs, HistoryQuery.MAX_LIMIT));
    }

    @Override
    public Answer latestOfEveryCar(String path) {
        List<Answer.Row> rows = new ArrayList<>();
        for (Sample sample : store.latestOfEveryCar(path)) {
            rows.add(new Answer.Row(sample.vin().value(), sample.tsMs(), number(sample.value())));
        }
        return new Answer(rows);
    }

    private Answer allPages(HistoryQuery first) {
        List<Answer.Row> rows = new ArrayList<>();
        Optional<HistoryQuery> next = Optional.of(first);
        while (next.isPresent()) {
            HistoryQuery query = next.get();
            HistoryPage page = store.query(query);
            for (HistoryPoint point : page.points()) {
                rows.add(new Answer.Row(point.path(), point.tsMs(), number(point.value())));
            }
            next = page.nextCursor().map(query::after);
        }
        return new Answer(rows);
    }

    static double number(SignalValue value) {
        return switch (value) {
            case SignalValue.Num n -> n.value();
            case SignalValue.Bool b -> b.value() ? 1 : 0;
            default -> throw new IllegalStateException("the EV data set holds numbers and booleans only: " + value);
        };
    }

    @Override
    public void close() {
        store.close();
    }
}
