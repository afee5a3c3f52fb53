package io.tsunagu.bench.load;

import io.tsunagu.bench.history.DuckDbHistory;
import io.tsunagu.bench.history.HistoryDataSet;
import io.tsunagu.server.history.QuestDbSampleStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the {@code history-query} data set into both stores, batch by batch as it is generated: Tsunagu's through its
 * own durable append ({@link QuestDbSampleStore#appendDurably}, one commit a batch, as ingest does), DuckDB's through
 * its Appender (one transaction for the whole load, then a checkpoint). Each store's time is measured on its own.
 *
 * @param samples rows loaded into each store
 * @param tsunaguSeconds time spent in Tsunagu's appends
 * @param duckdbSeconds time spent in DuckDB's appender, its commit and checkpoint
 */
record HistoryLoad(long samples, double tsunaguSeconds, double duckdbSeconds) {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryLoad.class);

    static HistoryLoad run(HistoryDataSet data, QuestDbSampleStore store, DuckDbHistory duckdb, long expected) {
        long[] totals = new long[3]; // samples, Tsunagu ns, DuckDB ns
        long tenth = Math.max(expected / 10, 1);
        data.generate(batch -> {
            if ((totals[0] + batch.size()) / tenth > totals[0] / tenth) {
                LOG.info("history-query: loading, {} of {} rows", totals[0] + batch.size(), expected);
            }
            totals[0] += batch.size();
            totals[1] += timed(() -> store.appendDurably(batch));
            totals[2] += timed(() -> duckdb.append(batch));
        });
        totals[1] += timed(() -> awaitVisible(store)); // appends are acknowledged before they are applied
        totals[2] += timed(duckdb::finishLoading);
        return new HistoryLoad(totals[0], totals[1] / 1e9, totals[2] / 1e9);
    }

    private static void awaitVisible(QuestDbSampleStore store) {
        if (!store.awaitVisible(Duration.ofMinutes(10))) {
            throw new IllegalStateException("history-query: the loaded rows did not become visible within 10 minutes");
        }
    }

    double tsunaguSamplesPerS() {
        return samples / Math.max(tsunaguSeconds, 1e-9);
    }

    double duckdbSamplesPerS() {
        return samples / Math.max(duckdbSeconds, 1e-9);
    }

    /** Bytes of every file under {@code path} (or of the file itself). */
    static long bytes(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(HistoryLoad::size)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // purged while walking
        }
    }

    private static long timed(Runnable work) {
        long started = System.nanoTime();
        work.run();
        return System.nanoTime() - started;
    }
}
