package io.tsunagu.bench.load;

import java.util.List;

/** What the {@code history-query} figures mean, printed with every run. */
final class HistoryQueryNotes {
    static final List<String> ALWAYS = List.of(
            "One caller per engine, queries back to back; queries/s = 1 / mean latency. CPU per query is this whole"
                    + " process (QuestDB answers on the calling thread; DuckDB uses its default of one thread per"
                    + " core).",
            "Scaled data set: the day car's series has a real day of rows, but the fleet-wide window is short."
                    + " DuckDB scans every row of the time range it cannot prune (no index), so 'hour' and 'latest'"
                    + " cost it more on a full fleet-day than here; QuestDB reads one car through the vin index and"
                    + " finds latest rows scanning backwards, so its cost grows less with the fleet.",
            "tsunagu-latest is SampleStore.latestOfEveryCar(path) (LATEST ON ts PARTITION BY vin over one"
                    + " signal); the product's REST API answers current values from the in-memory twin.");

    private HistoryQueryNotes() {}
}
