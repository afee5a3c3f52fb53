package io.tsunagu.server.update.rollout.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.server.metadata.MetadataException;
import io.tsunagu.server.metadata.SqlTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Portable JDBC plumbing for the rollout tables: transactions, UTC instants, nullable columns, the id counters, and
 * JSON string lists. Thread-safe (stateless apart from the data source).
 */
public final class RolloutSql {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final DataSource dataSource;

    public RolloutSql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in a transaction: commits if it returns, rolls back if it throws. */
    public <T> T transaction(SqlTransaction.Work<T> work) {
        try {
            return SqlTransaction.run(dataSource, work);
        } catch (SQLException e) {
            throw new MetadataException("rollout store: " + e.getMessage(), e);
        }
    }

    /**
     * Allocates {@code count} consecutive ids from counter {@code name} and returns the first. The row lock of the
     * update orders concurrent transactions; ids start at 1.
     */
    static long allocate(Connection connection, String name, int count) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE rollout_counters SET last_value = last_value + ? WHERE name = ?")) {
            update.setLong(1, count);
            update.setString(2, name);
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO rollout_counters (name, last_value) VALUES (?, ?)")) {
                    insert.setString(1, name);
                    insert.setLong(2, count);
                    insert.executeUpdate();
                }
                return 1;
            }
        }
        try (PreparedStatement select =
                connection.prepareStatement("SELECT last_value FROM rollout_counters WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1) - count + 1;
            }
        }
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
    }

    static void setOptionalInstant(PreparedStatement statement, int index, Optional<Instant> instant)
            throws SQLException {
        if (instant.isPresent()) {
            setInstant(statement, index, instant.get());
        } else {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        return optionalInstant(row, column)
                .orElseThrow(() -> new SQLException("column " + column + " is unexpectedly NULL"));
    }

    static Optional<Instant> optionalInstant(ResultSet row, String column) throws SQLException {
        return Optional.ofNullable(row.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    static void setOptional(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    static Optional<Integer> optionalInt(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? Optional.empty() : Optional.of(value);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    static List<String> strings(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new MetadataException("stored JSON list is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
