package io.tsunagu.server.fleet.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Portable JDBC plumbing for the fleet tables: transactions and {@code TIMESTAMP WITH TIME ZONE} as {@link Instant}
 * (through {@link OffsetDateTime}, which both the H2 and the PostgreSQL driver map natively).
 */
public final class Sql {
    /** SQLSTATE for a unique or primary-key violation; the same on H2 and PostgreSQL. */
    public static final String UNIQUE_VIOLATION = "23505";

    private Sql() {}

    /** Work done on one connection inside one transaction. */
    /** Binds an instant as a UTC {@code TIMESTAMP WITH TIME ZONE}. */
    public static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
    }

    /** Reads a non-null {@code TIMESTAMP WITH TIME ZONE} column. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        return optionalInstant(row, column)
                .orElseThrow(() -> new SQLException("column " + column + " is unexpectedly NULL"));
    }

    /** Reads a nullable {@code TIMESTAMP WITH TIME ZONE} column. */
    public static Optional<Instant> optionalInstant(ResultSet row, String column) throws SQLException {
        return Optional.ofNullable(row.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
