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
                    + " cost it more on a full fleet-day than here; QuestDB reads a car's signals through the series"
                    + " (vin/path) index, so its cost grows less with the fleet.",
            "tsunagu-latest is SampleStore.latestOfEveryCar(path) (one series-index lookup per car);"
                    + " questdb-sql-latest is the plain 'path = X LATEST ON ts PARTITION BY vin', a backward scan that"
                    + " stops here because every car reported in the window, but reads the whole table if one car never"
                    + " reported the signal. The product's REST API answers current values from the in-memory twin.");

    private HistoryQueryNotes() {}
}
