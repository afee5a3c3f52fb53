package io.tsunagu.server.history.internal;

import io.tsunagu.protocol.TsunaguException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cold archive's files: one Parquet file per closed UTC day ({@code 2026-01-01.parquet}), rows sorted by (series,
 * ts, seq), written and read by embedded DuckDB, plus a small side file per day ({@code 2026-01-01.latest.parquet})
 * with the newest row of each series, so latest-value lookups never scan a day.
 *
 * <p><b>Layout</b> (docs/architecture.md, "Cold archive"): columns {@code series, ts_ms, seq, kind, num, txt}; no
 * {@code vin}/{@code path} (both are in {@code series}) and no index. Sorted by series, a one-series read touches only
 * the row groups whose {@code series} min/max statistics cover it ({@value #ROW_GROUP_ROWS} rows each, about one 1 Hz
 * series-day), and the sorted columns compress to runs and small deltas under zstd.
 *
 * <p><b>Atomic files.</b> Each file is written to {@code .tmp}, fsynced, renamed over the old one, and the directory
 * fsynced; the side file goes first, so a day file never lacks its side file except after a crash between the two
 * renames, which {@link #open} repairs. Leftover {@code .tmp} files are deleted at open.
 *
 * <p><b>Bad files.</b> A day file whose footer cannot be read at open, or that fails a read, is marked bad and counted:
 * reads touching that day fail with {@code history_archive_unreadable}, every other day is served, and the file is
 * left as it is for the operator. Thread-safe: each call runs on its own duplicate of one DuckDB connection.
 */
public final class ParquetArchive implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetArchive.class);
    static final int ROW_GROUP_ROWS = 100_000;
    private static final int ZSTD_LEVEL = 9;
    private static final String DAY_SUFFIX = ".parquet";
    private static final String LATEST_SUFFIX = ".latest.parquet";
    private static final String TMP_SUFFIX = ".tmp";
    private static final String COLUMNS = "series, ts_ms, seq, kind, num, txt";

    private final Path dir;
    private final DuckDBConnection duck;
    /** Good day files by day. */
    private final ConcurrentSkipListMap<LocalDate, Path> days = new ConcurrentSkipListMap<>();
    /** Days whose file is unreadable. */
    private final ConcurrentSkipListMap<LocalDate, String> bad = new ConcurrentSkipListMap<>();

    private final AtomicLong badReads = new AtomicLong();
    private final AtomicLong readFailures = new AtomicLong();

    private ParquetArchive(Path dir, DuckDBConnection duck) {
        this.dir = dir;
        this.duck = duck;
    }

    /** Opens the archive in {@code dir} (created if needed): cleans up after a crash and checks every day file. */
    public static ParquetArchive open(Path dir) {
        try {
            Files.createDirectories(dir);
            DuckDBConnection duck = DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
            try (Statement settings = duck.createStatement()) {
                // One thread, bounded memory: the archive shares the node with ingest (DEPENDENCIES.md: off the hot
                // path); an export's sort spills to the archive's own temp directory beyond the limit.
                settings.execute("SET threads = 1");
                settings.execute("SET memory_limit = '512MB'");
                settings.execute("SET temp_directory = "
                        + literal(dir.resolve("duckdb.tmp").toString()));
                // No Parquet metadata cache: a re-export replaces a day file under the same name, and a footer cached
                // from the old file must never describe the new one; reading a footer is a small read per query.
                settings.execute("SET parquet_metadata_cache = false");
            }
            ParquetArchive archive = new ParquetArchive(dir, duck);
            archive.load();
            return archive;
        } catch (SQLException e) {
            throw new TsunaguException(
                    "history_unavailable", "cannot start the archive's DuckDB: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open history archive " + dir, e);
        }
    }

    private void load() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(TMP_SUFFIX)) {
                    Files.delete(file); // an export that did not finish; its day is still in the table
                } else if (name.endsWith(DAY_SUFFIX) && !name.endsWith(LATEST_SUFFIX)) {
                    check(LocalDate.parse(name.substring(0, name.length() - DAY_SUFFIX.length())), file);
                }
            }
        }
    }

    private void check(LocalDate day, Path file) {
        try (Connection c = duck.duplicate();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT num_rows FROM parquet_file_metadata(" + literal(file) + ")")) {
            rs.next();
            if (!Files.exists(latestFile(day))) {
                LOG.warn("history archive: {} has no latest-value file (crash while archiving); writing it", file);
                Path tmp = tmpOf(latestFile(day));
                writeTmp(c, latestOf(file), tmp);
                publish(tmp, latestFile(day));
            }
            days.put(day, file);
        } catch (SQLException | RuntimeException e) {
            markBad(day, file, e);
        }
    }

    private void markBad(LocalDate day, Path file, Exception e) {
        days.remove(day);
        bad.put(day, e.getMessage() == null ? e.toString() : e.getMessage());
        badReads.incrementAndGet();
        LOG.error(
                "history archive: day file {} is unreadable; queries of {} fail until it is repaired: {}",
                file,
                day,
                e.getMessage());
    }

    /**
     * Writes {@code day}: the rows of {@code nativeFiles} (the day's partitions as QuestDB's Parquet, {@link
     * DayParquet}) merged with the day's existing file, if any (late data); on equal (series, ts, seq) the native row
     * wins, as the table's UPSERT would. DuckDB reads, sorts and writes in bulk; the day file goes to {@code .tmp} and
     * is fsynced, the side file is computed from it, and both are renamed into place (side file first) with the
     * directory fsynced. Returns when both files are durable.
     *
     * @return rows in the written file and its size in bytes
     */
    public Written write(LocalDate day, List<Path> nativeFiles) {
        if (bad.containsKey(day)) {
            throw new TsunaguException(
                    "history_archive_unreadable",
                    "archive file of " + day + " is unreadable; not merging late data into it",
                    false);
        }
        Path target = dayFile(day);
        Path tmp = tmpOf(target);
        Path latestTmp = tmpOf(latestFile(day));
        String seriesType = "archive_series_" + day.toString().replace('-', '_');
        try (Connection c = duck.duplicate()) {
            String rows = nativeRows(nativeFiles);
            Optional<String> earlier =
                    Files.exists(target) ? Optional.of("read_parquet(" + literal(target) + ")") : Optional.empty();
            String merged = earlier.map(file -> rows + " UNION ALL SELECT " + COLUMNS + " FROM " + file + " ANTI JOIN ("
                            + rows + ") USING (series, ts_ms, seq)")
                    .orElse(rows);
            createSeriesType(c, seriesType, rows, earlier);
            writeTmp(c, sortedBySeries(merged, seriesType), tmp);
            writeTmp(c, latestOf(tmp), latestTmp);
            publish(latestTmp, latestFile(day));
            publish(tmp, target);
            long count = rowCount(c, target);
            days.put(day, target);
            return new Written(count, Files.size(target));
        } catch (SQLException e) {
            throw new TsunaguException(
                    "history_archive_failed", "archiving " + day + " failed: " + e.getMessage(), true, e);
        } catch (IOException e) {
            throw new UncheckedIOException("archiving " + day + " failed", e);
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(latestTmp);
            dropType(seriesType);
        }
    }

    /**
     * {@code rows} ordered by (series, ts_ms, seq), sorting on the series' rank rather than its text: {@code
     * seriesType} is an ENUM of the day's series in text order, so the sort compares and moves a 4-byte index per row
     * (half the export's CPU with the text as key and payload, docs/architecture.md "Archive export in bulk"), and the
     * text comes back from the enum's dictionary after the sort, in the same order.
     */
    private static String sortedBySeries(String rows, String seriesType) {
        return "SELECT s::VARCHAR AS series, ts_ms, seq, kind, num, txt FROM (SELECT series::" + seriesType
                + " AS s, ts_ms, seq, kind, num, txt FROM (" + rows + ") ORDER BY s, ts_ms, seq)";
    }

    /** The ENUM {@code type} of every series in {@code rows} and the earlier day file, in text order. */
    private static void createSeriesType(Connection c, String type, String rows, Optional<String> earlier)
            throws SQLException {
        execute(c, "DROP TYPE IF EXISTS " + type);
        execute(
                c,
                "CREATE TYPE " + type + " AS ENUM (SELECT DISTINCT series FROM (SELECT series FROM (" + rows + ")"
                        + earlier.map(file -> " UNION ALL SELECT series FROM " + file)
                                .orElse("")
                        + ") ORDER BY series)");
    }

    private void dropType(String type) {
        try (Connection c = duck.duplicate()) {
            execute(c, "DROP TYPE IF EXISTS " + type);
        } catch (SQLException e) {
            LOG.warn("history archive: cannot drop DuckDB type {}: {}", type, e.getMessage());
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Rows and bytes of one written day file. */
    public record Written(long rows, long bytes) {}

    /** Where {@link DayParquet} puts the temp files of {@code day}'s export (deleted at open if a crash left them). */
    public Path exportPrefix(LocalDate day) {
        return dir.resolve(day + ".export");
    }

    /**
     * The archive's columns from QuestDB's Parquet: the designated timestamp (microseconds, UTC) as epoch ms, and
     * QuestDB's nulls as the row-wise export stored them (seq {@code Long.MIN_VALUE}, num null).
     */
    private static String nativeRows(List<Path> files) {
        if (files.isEmpty()) {
            return "SELECT NULL::VARCHAR AS series, NULL::BIGINT AS ts_ms, NULL::BIGINT AS seq, NULL::TINYINT AS kind,"
                    + " NULL::DOUBLE AS num, NULL::VARCHAR AS txt WHERE false";
        }
        return "SELECT series::VARCHAR AS series, epoch_ms(ts) AS ts_ms,"
                + " coalesce(seq, CAST(" + Long.MIN_VALUE + " AS BIGINT)) AS seq, kind::TINYINT AS kind,"
                + " CASE WHEN isnan(num) THEN NULL ELSE num END AS num, txt::VARCHAR AS txt"
                + " FROM read_parquet(" + list(files) + ", union_by_name = true)";
    }

    /**
     * The side file's rows: the newest (ts, seq) of each series in {@code dayFile}. A grouped max over a struct that
     * starts with (ts, seq), which are unique per series: one pass with a small hash table per series, where a window
     * ({@code row_number() OVER (PARTITION BY series ...)}) would sort the whole day again.
     */
    private static String latestOf(Path dayFile) {
        return "SELECT series, r.ts_ms AS ts_ms, r.seq AS seq, r.kind AS kind, r.num AS num, r.txt AS txt FROM"
                + " (SELECT series, max(struct_pack(ts_ms := ts_ms, seq := seq, kind := kind, num := num, txt := txt))"
                + " AS r FROM read_parquet(" + literal(dayFile) + ") GROUP BY series) ORDER BY series";
    }

    /** {@code COPY (select)} to {@code tmp} in the archive's layout, then fsync. */
    private static void writeTmp(Connection c, String select, Path tmp) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("COPY (" + select + ") TO " + literal(tmp)
                    + " (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL " + ZSTD_LEVEL + ", ROW_GROUP_SIZE "
                    + ROW_GROUP_ROWS + ", PARQUET_VERSION V2)");
        }
        try (FileChannel file = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            file.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + tmp + " durable", e);
        }
    }

    /** Renames a durable {@code tmp} over {@code target} and fsyncs the directory. */
    private void publish(Path tmp, Path target) {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + target + " durable", e);
        }
    }

    private static Path tmpOf(Path target) {
        return target.resolveSibling(target.getFileName() + TMP_SUFFIX);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("history archive: cannot delete {} (deleted at the next open): {}", file, e.getMessage());
        }
    }

    private static long rowCount(Connection c, Path file) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT num_rows FROM parquet_file_metadata(" + literal(file) + ")")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Streams the rows of the archived days among {@code daysToRead} that match {@code where} (SQL over the archive's
     * columns), ordered by {@code orderBy}, to {@code onRow} until it returns false.
     *
     * @throws TsunaguException {@code history_archive_unreadable} when one of the days' file is bad
     */
    public void forEach(
            List<LocalDate> daysToRead, String where, String orderBy, long limit, Predicate<StoredRow> onRow) {
        failIfBad(daysToRead);
        List<Path> files =
                daysToRead.stream().map(days::get).filter(f -> f != null).toList();
        if (files.isEmpty()) {
            return;
        }
        String sql = "SELECT " + COLUMNS + " FROM read_parquet(" + list(files) + ") WHERE " + where
                + (orderBy.isEmpty() ? "" : " ORDER BY " + orderBy) + (limit > 0 ? " LIMIT " + limit : "");
        query(sql, daysToRead, onRow);
    }

    /** Streams the newest row of each series in every good day (one per series and day), newest day first. */
    public void forEachLatest(Predicate<StoredRow> onRow) {
        List<LocalDate> all = List.copyOf(days.descendingKeySet());
        if (all.isEmpty()) {
            return;
        }
        List<Path> files = all.stream().map(this::latestFile).toList();
        query("SELECT " + COLUMNS + " FROM read_parquet(" + list(files) + ")", all, onRow);
    }

    private void query(String sql, List<LocalDate> touched, Predicate<StoredRow> onRow) {
        try (Connection c = duck.duplicate();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                double num = rs.getDouble(5);
                StoredRow row = new StoredRow(
                        rs.getLong(2),
                        rs.getString(1),
                        rs.getLong(3),
                        rs.getByte(4),
                        rs.wasNull() ? Double.NaN : num,
                        rs.getString(6));
                if (!onRow.test(row)) {
                    return;
                }
            }
        } catch (SQLException e) {
            readFailures.incrementAndGet();
            touched.forEach(day -> Optional.ofNullable(days.get(day)).ifPresent(file -> check(day, file)));
            throw new TsunaguException(
                    "history_archive_unreadable",
                    "history archive read failed for " + touched + ": " + e.getMessage(),
                    false,
                    e);
        }
    }

    private void failIfBad(List<LocalDate> touched) {
        for (LocalDate day : touched) {
            String problem = bad.get(day);
            if (problem != null) {
                throw new TsunaguException(
                        "history_archive_unreadable",
                        "the archived history of " + day + " is unreadable (" + problem + ")",
                        false);
            }
        }
    }

    /** Deletes the files of every day before {@code day}; returns how many days went. */
    public int deleteBefore(LocalDate day) {
        int deleted = 0;
        for (LocalDate old : List.copyOf(days.headMap(day).keySet())) {
            try {
                Files.deleteIfExists(latestFile(old));
                Files.deleteIfExists(dayFile(old));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete archived day " + old, e);
            }
            days.remove(old);
            deleted++;
        }
        bad.headMap(day).clear();
        return deleted;
    }

    /** The archived days with a readable file, oldest first. */
    public NavigableMap<LocalDate, Path> days() {
        return days;
    }

    /** Whether {@code day} is archived (readable or not). */
    public boolean archived(LocalDate day) {
        return days.containsKey(day) || bad.containsKey(day);
    }

    /** Days whose file is unreadable now. */
    public int badDays() {
        return bad.size();
    }

    /** Day files found unreadable (at open or by a read) since open. */
    public long badReads() {
        return badReads.get();
    }

    /** Archive reads that failed since open (a bad file, or a fault inside one whose footer still reads). */
    public long readFailures() {
        return readFailures.get();
    }

    /** Bytes of every archive file. */
    public long bytes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(ParquetArchive::size)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dayFile(LocalDate day) {
        return dir.resolve(day + DAY_SUFFIX);
    }

    private Path latestFile(LocalDate day) {
        return dir.resolve(day + LATEST_SUFFIX);
    }

    private static String list(List<Path> files) {
        StringBuilder sql = new StringBuilder("[");
        for (int i = 0; i < files.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(literal(files.get(i)));
        }
        return sql.append(']').toString();
    }

    private static String literal(Path file) {
        return literal(file.toAbsolutePath().toString());
    }

    /** A DuckDB string literal: quotes doubled, so any text is safe inside it. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        try {
            duck.close();
        } catch (SQLException e) {
            LOG.warn("history archive: closing DuckDB failed: {}", e.getMessage());
        }
    }
}
