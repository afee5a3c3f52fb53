package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.sql.Record;
import io.questdb.std.str.Utf8s;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.history.internal.QuestDbReader.Micros;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads the native table's rows for the cold archive: the closed days it may export, one day's rows as Parquet files,
 * and one car's rows as {@link StoredRow}s in a range (late data for archived days, merged at read). Thread-safe.
 */
public final class StoredRows {
    private static final long DAY_MS = 86_400_000L;
    private static final String COLUMNS = "SELECT ts, series, seq, kind, num, txt FROM " + SamplesTable.NAME;

    private final QuestDbReader reader;
    private final CairoEngine engine;
    private final TableToken table;

    public StoredRows(QuestDbReader reader, CairoEngine engine, TableToken table) {
        this.reader = reader;
        this.engine = engine;
        this.table = table;
    }

    /**
     * The days with a partition (native or QuestDB's Parquet) that ended at or before {@code cutoffMs}, oldest first;
     * never the active (newest) partition, which the engine is still writing.
     */
    public List<LocalDate> closedDaysBefore(long cutoffMs) {
        List<LocalDate> days = new ArrayList<>();
        reader.forEach(
                "SELECT name FROM table_partitions('" + SamplesTable.NAME + "') WHERE NOT active ORDER BY name",
                List.of(),
                row -> {
                    LocalDate day = LocalDate.parse(row.getStrA(0).toString().substring(0, 10));
                    if (startMs(day) + DAY_MS <= cutoffMs) {
                        days.add(day);
                    }
                    return true;
                });
        return days;
    }

    /**
     * Every row of {@code day} in a snapshot taken now, as Parquet files for a bulk read ({@link DayParquet}: native
     * partitions encoded by QuestDB into temp files named after {@code tmpPrefix}); close it when they are read.
     */
    public DayParquet dayParquet(LocalDate day, Path tmpPrefix) {
        return DayParquet.of(engine, table, day, tmpPrefix);
    }

    /** Rows of {@code day} in the table now. */
    public long countOfDay(LocalDate day) {
        long from = startMs(day);
        return reader.singleLong(
                "SELECT count() FROM " + SamplesTable.NAME + " WHERE ts >= $1 AND ts < $2",
                List.of(Micros.ofMillis(from), Micros.ofMillis(from + DAY_MS)));
    }

    /**
     * Streams {@code vin}'s rows in {@code [fromMs, toMs)} in time order: a scan by time with a {@code vin} filter, cheap
     * for an archived day, whose partition holds only late rows if any.
     */
    public void forEachOfCar(Vin vin, long fromMs, long toMs, Predicate<StoredRow> onRow) {
        reader.forEach(
                COLUMNS + " WHERE ts >= $1 AND ts < $2 AND vin = "
                        + SqlLiterals.quoted(vin.value()).orElseThrow() + " ORDER BY ts",
                List.of(Micros.ofMillis(fromMs), Micros.ofMillis(toMs)),
                row -> onRow.test(row(row)));
    }

    /** Start of {@code day}, epoch milliseconds UTC. */
    public static long startMs(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static StoredRow row(Record row) {
        var text = row.getVarcharA(5);
        return new StoredRow(
                Math.floorDiv(row.getTimestamp(0), 1000L),
                row.getSymA(1).toString(),
                row.getLong(2),
                row.getByte(3),
                row.getDouble(4),
                text == null ? null : Utf8s.stringFromUtf8Bytes(text));
    }
}
