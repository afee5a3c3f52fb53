package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.TableReader;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableUtils;
import io.questdb.cairo.sql.PartitionFormat;
import io.questdb.griffin.engine.table.parquet.ParquetCompression;
import io.questdb.griffin.engine.table.parquet.ParquetVersion;
import io.questdb.griffin.engine.table.parquet.PartitionDescriptor;
import io.questdb.griffin.engine.table.parquet.PartitionEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One day of the native table as Parquet files that DuckDB reads natively and in bulk: the cold archive's export
 * source (docs/architecture.md, "Archive export in bulk"). Each partition of the day (one, or several while QuestDB
 * keeps a day split) is either
 *
 * <ul>
 *   <li><b>native</b>: encoded by QuestDB's own Parquet encoder (the one behind {@code CONVERT PARTITION TO PARQUET})
 *       straight from the column files of a table reader's snapshot into a temp file, so the table is not changed,
 *       no lock is taken and ingest goes on; or
 *   <li><b>QuestDB's Parquet</b> (converted in place earlier by {@code --history-cold-after-days}): its own {@code
 *       data.parquet}, read where it is.
 * </ul>
 *
 * <p>The reader stays open until {@link #close}: it pins the snapshot, so QuestDB keeps every file read here (an
 * out-of-order write or a thaw of the day writes a new partition version beside it) and {@link #rows} is exactly the
 * snapshot's row count, which the drop compares with the day's count afterwards. In those files symbols (series) are
 * dictionary-encoded UTF-8 strings, the designated timestamp is INT64 microseconds (UTC), and QuestDB's nulls are
 * Parquet nulls: seq {@code Long.MIN_VALUE} (no sequence number) and num NaN (a text value) come back as null.
 * {@link #close} deletes the temp files; a crash leaves them as {@code .tmp} files, which the archive deletes at open.
 */
public final class DayParquet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DayParquet.class);
    private static final long DAY_MICROS = 86_400_000_000L;
    /** Rows per row group of the temp files: DuckDB reads row groups in parallel; QuestDB's default size. */
    private static final int TEMP_ROW_GROUP_ROWS = 100_000;

    private final TableReader reader;
    private final List<Path> files = new ArrayList<>();
    private final List<Path> temps = new ArrayList<>();
    private long rows;

    private DayParquet(TableReader reader) {
        this.reader = reader;
    }

    /**
     * The partitions of {@code day} in a snapshot taken now, native ones encoded into temp files named {@code
     * <tmpPrefix>-<n>.parquet.tmp}.
     */
    static DayParquet of(CairoEngine engine, TableToken table, LocalDate day, Path tmpPrefix) {
        DayParquet parquet = new DayParquet(engine.getReader(table));
        try {
            parquet.collect(engine.getConfiguration().getDbRoot(), table, day, tmpPrefix);
            return parquet;
        } catch (RuntimeException e) {
            parquet.close();
            throw e;
        }
    }

    private void collect(String dbRoot, TableToken table, LocalDate day, Path tmpPrefix) {
        long from = QuestDbReader.Micros.ofMillis(StoredRows.startMs(day)).value();
        for (int i = 0; i < reader.getPartitionCount(); i++) {
            long partitionTs = reader.getPartitionTimestampByIndex(i);
            if (partitionTs < from || partitionTs >= from + DAY_MICROS) {
                continue;
            }
            long partitionRows = reader.openPartition(i);
            if (partitionRows <= 0) {
                continue;
            }
            if (reader.getPartitionFormat(i) == PartitionFormat.PARQUET) {
                files.add(parquetFile(dbRoot, table, i, partitionTs));
            } else {
                Path temp = tmpPrefix.resolveSibling(tmpPrefix.getFileName() + "-" + temps.size() + ".parquet.tmp");
                temps.add(temp);
                encode(i, temp);
                files.add(temp);
            }
            rows += partitionRows;
        }
    }

    /** QuestDB's encoder over the reader's mapped columns; lz4 keeps the temp file small at little CPU. */
    private void encode(int partition, Path temp) {
        try (PartitionDescriptor descriptor = new PartitionDescriptor();
                io.questdb.std.str.Path path = new io.questdb.std.str.Path()) {
            PartitionEncoder.populateFromTableReader(reader, descriptor, partition);
            path.of(temp.toAbsolutePath().toString());
            PartitionEncoder.encodeWithOptions(
                    descriptor,
                    path,
                    ParquetCompression.packCompressionCodecLevel(ParquetCompression.COMPRESSION_LZ4_RAW, 0),
                    false,
                    false,
                    TEMP_ROW_GROUP_ROWS,
                    0,
                    ParquetVersion.PARQUET_VERSION_V1,
                    0.0);
        }
    }

    private Path parquetFile(String dbRoot, TableToken table, int partition, long partitionTs) {
        try (io.questdb.std.str.Path path = new io.questdb.std.str.Path()) {
            path.of(dbRoot).concat(table.getDirName());
            TableUtils.setPathForParquetPartition(
                    path,
                    reader.getMetadata().getTimestampType(),
                    reader.getPartitionedBy(),
                    partitionTs,
                    reader.getTxFile().getPartitionNameTxn(partition));
            return Path.of(path.toString());
        }
    }

    /** The day's Parquet files, in table order. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    /** Rows of the day in the snapshot (every file's rows). */
    public long rows() {
        return rows;
    }

    /** Releases the snapshot and deletes the temp files. */
    @Override
    public void close() {
        reader.close();
        for (Path temp : temps) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // harmless: the archive deletes every leftover .tmp file at open
                LOG.warn("history archive: cannot delete temp file {}: {}", temp, e.getMessage());
            }
        }
    }
}
