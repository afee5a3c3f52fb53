package io.tsunagu.bench.history;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The baseline: DuckDB (embedded, file-backed, its default of one thread per core) holding the same rows in a table of
 * the same columns, loaded through its Appender API, queried with idiomatic DuckDB SQL ({@code time_bucket},
 * {@code arg_max}). No index: DuckDB prunes by the min/max of each row group (the rows arrive in time order, so a time
 * range skips what lies outside it) and scans the rest. Values are inlined as literals, so every filter is pushed into
 * the scan (as for the QuestDB SQL baseline). Not thread-safe.
 */
public final class DuckDbHistory implements HistoryEngine {
    private static final String CREATE = "CREATE TABLE samples (ts TIMESTAMP, vin VARCHAR, path VARCHAR, seq BIGINT,"
            + " kind TINYINT, num DOUBLE, txt VARCHAR)";

    private final DuckDBConnection connection;
    private final DuckDBAppender appender;

    private DuckDbHistory(DuckDBConnection connection) throws SQLException {
        this.connection = connection;
        this.appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "samples");
    }

    /** Creates the database file {@code file} with an empty {@code samples} table. */
    public static DuckDbHistory create(Path file) {
        try {
            Connection plain = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
            try (Statement statement = plain.createStatement()) {
                statement.execute(CREATE);
            }
            return new DuckDbHistory(plain.unwrap(DuckDBConnection.class));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the DuckDB baseline in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "duckdb";
    }

    /** Appends rows; {@link #finishLoading()} makes them durable and visible. */
    public void append(List<Sample> samples) {
        try {
            for (Sample sample : samples) {
                appender.beginRow()
                        .appendEpochMicros(sample.tsMs() * 1_000)
                        .append(sample.vin().value())
                        .append(sample.path())
                        .append(sample.seq())
                        .append((byte) (sample.value() instanceof SignalValue.Bool ? 1 : 0))
                        .append(TsunaguHistory.number(sample.value()))
                        .appendNull()
                        .endRow();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB append failed: " + e.getMessage(), e);
        }
    }

    /** Closes the appender (which commits) and checkpoints the database file. */
    public void finishLoading() {
        try {
            appender.close();
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB commit failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Answer downsampled(Vin vin, String path, long fromMs, long toMs, long stepMs) {
        String sql = "SELECT epoch_ms(time_bucket(INTERVAL '" + stepMs + " milliseconds', ts)) AS bucket, avg(num)"
                + " FROM samples WHERE vin = " + literal(vin.value()) + " AND path = " + literal(path) + " AND "
                + range(fromMs, toMs)
                + " GROUP BY bucket ORDER BY bucket";
        return rows(sql, rs -> new Answer.Row(path, rs.getLong(1), rs.getDouble(2)));
    }

    @Override
    public Answer raw(Vin vin, long fromMs, long toMs) {
        String sql = "SELECT epoch_ms(ts), path, kind, num, txt FROM samples WHERE vin = " + literal(vin.value())
                + " AND " + range(fromMs, toMs) + " ORDER BY ts";
        return rows(sql, rs -> {
            rs.getByte(3);
            rs.getString(5); // read like a typed answer would, though the data set holds no text
            return new Answer.Row(rs.getString(2), rs.getLong(1), rs.getDouble(4));
        });
    }

    @Override
    public Answer latestOfEveryCar(String path) {
        String sql = "SELECT vin, epoch_ms(max(ts)), arg_max(num, ts) FROM samples WHERE path = " + literal(path)
                + " GROUP BY vin";
        return rows(sql, rs -> new Answer.Row(rs.getString(1), rs.getLong(2), rs.getDouble(3)));
    }

    private static String range(long fromMs, long toMs) {
        return "ts >= make_timestamp(" + fromMs * 1_000 + ") AND ts < make_timestamp(" + toMs * 1_000 + ")";
    }

    /** A SQL string literal; VINs and VSS paths hold no quote, but double any anyway. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private interface RowReader {
        Answer.Row read(ResultSet rs) throws SQLException;
    }

    private Answer rows(String sql, RowReader reader) {
        List<Answer.Row> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + e.getMessage() + ": " + sql, e);
        }
        return new Answer(rows);
    }

    @Override
    public void close() {
        try {
            if (!appender.isClosed()) {
                appender.close();
            }
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close DuckDB: " + e.getMessage(), e);
        }
    }
}
