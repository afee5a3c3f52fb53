package io.tsunagu.bench.micro;

import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.history.ArchivedSampleStore;
import io.tsunagu.server.history.QuestDbSampleStore;
import io.tsunagu.server.history.SampleStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Bytes per stored sample: writes a fixed, time-ordered data set from the EV fleet through one {@link SampleAppender}
 * in batches of one simulated second, closes the engine (so column files are trimmed to their content) and sums the
 * file sizes under the database directory, grouped by column. A fixed data set makes the figure independent of how
 * long a benchmark ran. Write-ahead-log segments are counted apart: QuestDB purges applied segments on a 30 s timer, so
 * they are transient, and a short run never sees them go.
 */
public final class HistoryFootprint {
    private static final long DAY_MS = 86_400_000L;

    private final int cars;
    private final int seconds;

    /**
     * @param cars cars in the fleet
     * @param seconds simulated seconds to store; samples = cars × seconds × {@value EvFleet#SIGNALS_PER_FRAME}
     */
    public HistoryFootprint(int cars, int seconds) {
        this.cars = cars;
        this.seconds = seconds;
    }

    /** The extra writer label of {@link #measure}: {@code raw-table}, then closed days converted to Parquet. */
    public static final String PARQUET = "raw-table+parquet";

    /**
     * The writer label of {@link #measure} for Tsunagu's own cold days: {@code tsunagu}, then the closed day converted
     * by {@link QuestDbSampleStore#convertColdDays} (zstd Parquet plus the {@code vin} index QuestDB keeps), with
     * {@link Footprint#queryCost()} measured before and after the conversion.
     */
    public static final String TSUNAGU_PARQUET = "tsunagu+parquet";

    /**
     * The writer label of {@link #measure} for Tsunagu's cold archive: {@code tsunagu}, then the closed day moved by
     * {@link ArchivedSampleStore#archiveColdDays} into one Parquet file sorted by (series, ts) and its partition
     * dropped; the footprint is the archive's files plus what stays in the table directory (symbol maps, metadata, the
     * sealing sample's day), with {@link Footprint#queryCost()} measured before and after.
     */
    public static final String TSUNAGU_ARCHIVE = "tsunagu+archive";

    /** The part of {@link Footprint#bytesByPart()} holding the archive's day files. */
    public static final String ARCHIVE_DAY = "archive day";

    /** The part of {@link Footprint#bytesByPart()} holding the archive's latest-value side files. */
    public static final String ARCHIVE_LATEST = "archive latest";

    /** The part of {@link Footprint#bytesByPart()} holding write-ahead-log segments. */
    public static final String WAL_PART = "wal segments (transient)";

    /** The part of {@link Footprint#bytesByPart()} holding metadata, transaction logs and the sequencer's log. */
    public static final String TABLE_FILES = "table files";

    /**
     * The footprint of one writer on disk.
     *
     * @param writer {@code tsunagu}, {@code raw-wal}, {@code raw-table} or {@value #PARQUET}
     * @param samples samples stored
     * @param bytesByPart bytes on disk by column (its files in all partitions, with index and symbol table), {@code
     *     parquet} (all columns of converted days), {@value #WAL_PART}, and "table files" (metadata, transaction logs)
     */
    public record Footprint(
            String writer, long samples, Map<String, Long> bytesByPart, Optional<ColdQueryCost> queryCost) {
        /** Bytes that stay: everything but write-ahead-log segments. */
        public long storedBytes() {
            return bytesByPart.entrySet().stream()
                    .filter(e -> !e.getKey().equals(WAL_PART))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }

        public double bytesPerSample() {
            return (double) storedBytes() / samples;
        }
    }

    /** Stores the data set with {@code writer} in a new directory below {@code scratch}, measures it, deletes it. */
    public Footprint measure(String writer, Path scratch) {
        if (writer.equals(TSUNAGU_PARQUET)) {
            return measureTsunaguCold(scratch.resolve("footprint-tsunagu-parquet"), false);
        }
        if (writer.equals(TSUNAGU_ARCHIVE)) {
            return measureTsunaguCold(scratch.resolve("footprint-tsunagu-archive"), true);
        }
        boolean parquet = writer.equals(PARQUET);
        SampleAppender.Kind kind = parquet ? SampleAppender.Kind.RAW_TABLE : SampleAppender.Kind.of(writer);
        Path dir = scratch.resolve("footprint-" + kind.label() + (parquet ? "-parquet" : ""));
        try {
            long samples = write(kind, dir.resolve("db"), parquet);
            return new Footprint(writer, samples, bytesByPart(dir.resolve("db")), Optional.empty());
        } finally {
            try {
                Directories.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Footprint measureTsunaguCold(Path dir, boolean archived) {
        long[] samples = {0};
        ColdQueryCost cost;
        QuestDbSampleStore questDb = QuestDbSampleStore.open(dir.resolve("db"));
        try (SampleStore store =
                archived ? ArchivedSampleStore.open(questDb, dir.resolve("archive"), SignalCatalog.vss6()) : questDb) {
            EvFleet fleet = new EvFleet(cars, 17, 1_200);
            List<Sample> first = writeSealedDay(store, fleet, samples);
            long dayEndMs = nextDayMs(fleet);
            ColdQueries queries = new ColdQueries(store, first, dayEndMs - DAY_MS, dayEndMs);
            ColdQueryCost.Side before = queries.measure();
            Instant later = Instant.ofEpochMilli(dayEndMs + DAY_MS);
            if (store instanceof ArchivedSampleStore archive) {
                archive.archiveColdDays(Duration.ofDays(1), later);
            } else {
                questDb.convertColdDays(Duration.ofDays(1), later);
            }
            cost = new ColdQueryCost(archived ? "archive" : "Parquet", before, queries.measure());
        }
        try {
            Map<String, Long> parts = bytesByPart(dir.resolve("db"));
            if (archived) {
                parts.putAll(archiveParts(dir.resolve("archive")));
            }
            return new Footprint(archived ? TSUNAGU_ARCHIVE : TSUNAGU_PARQUET, samples[0], parts, Optional.of(cost));
        } finally {
            try {
                Directories.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Writes the data set, then one sample on the next day so the data set's day is closed, and waits until reads see
     * it; counts the data set's samples into {@code samples[0]} and returns its first second.
     */
    private List<Sample> writeSealedDay(SampleStore store, EvFleet fleet, long[] samples) {
        List<Sample> first = List.of();
        for (int s = 0; s < seconds; s++) {
            List<Sample> batch = fleet.nextSecond();
            first = s == 0 ? batch : first;
            store.appendDurably(batch);
            samples[0] += batch.size();
        }
        Sample seal = first.getFirst();
        store.appendDurably(List.of(new Sample(seal.vin(), nextDayMs(fleet), seal.seq(), seal.path(), seal.value())));
        if (!store.awaitVisible(Duration.ofSeconds(60))) { // appends are acknowledged before the table apply
            throw new IllegalStateException("history store did not apply the data set within 60 s");
        }
        return first;
    }

    private static Map<String, Long> archiveParts(Path archive) {
        Map<String, Long> parts = new TreeMap<>();
        try (Stream<Path> files = Files.list(archive)) {
            files.filter(Files::isRegularFile)
                    .forEach(file -> parts.merge(
                            file.getFileName().toString().endsWith(".latest.parquet") ? ARCHIVE_LATEST : ARCHIVE_DAY,
                            size(file),
                            Long::sum));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parts;
    }

    private long write(SampleAppender.Kind kind, Path db, boolean parquet) {
        EvFleet fleet = new EvFleet(cars, 17, 1_200);
        long samples = 0;
        try (SampleAppender appender = kind.open(db)) {
            for (int s = 0; s < seconds; s++) {
                List<Sample> batch = fleet.nextSecond();
                appender.append(batch);
                samples += batch.size();
            }
            if (parquet && appender instanceof RawQuestDbAppender raw) {
                raw.convertClosedDaysToParquet(nextDayMs(fleet));
            }
        }
        return samples;
    }

    private static long nextDayMs(EvFleet fleet) {
        return (fleet.timeMs() / DAY_MS + 1) * DAY_MS;
    }

    private static Map<String, Long> bytesByPart(Path db) {
        Path table = tableDir(db);
        Map<String, Long> parts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(table)) {
            files.filter(Files::isRegularFile).forEach(file -> parts.merge(part(table, file), size(file), Long::sum));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parts;
    }

    private static Path tableDir(Path db) {
        try (Stream<Path> dirs = Files.list(db)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("samples"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no samples table under " + db));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Column files are named {@code <column>.<ext>} (data, index, symbol table); everything else is table upkeep. */
    private static String part(Path table, Path file) {
        Path relative = table.relativize(file);
        if (relative.getNameCount() > 1 && relative.getName(0).toString().startsWith("wal")) {
            return WAL_PART;
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".parquet")) {
            return "parquet";
        }
        int dot = name.indexOf('.');
        String column = dot < 0 ? "" : name.substring(0, dot);
        return switch (column) {
            case "ts", "vin", "path", "seq", "kind", "num", "txt" -> column;
            default -> TABLE_FILES;
        };
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
