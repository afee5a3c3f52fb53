package io.tsunagu.server.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One unit of work on the metadata database in one transaction: committed if it returns, rolled back if it throws. */
public final class SqlTransaction {
    private SqlTransaction() {}

    /** Work on one connection inside the transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection of {@code dataSource} with auto-commit off; commits if it returns, rolls back
     * and rethrows if it throws. Callers turn the {@link SQLException} into their own domain's error.
     */
    public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
