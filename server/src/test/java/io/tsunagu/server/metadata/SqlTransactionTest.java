package io.tsunagu.server.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlTransactionTest {
    @TempDir
    Path dir;

    private MetadataDatabase database;
    private DataSource dataSource;

    @BeforeEach
    void open() throws SQLException {
        database = MetadataDatabase.embedded(dir);
        dataSource = database.dataSource();
        SqlTransaction.run(dataSource, c -> c.createStatement().execute("CREATE TABLE t (v INT)"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void workThatReturnsIsCommittedAndItsResultReturned() throws SQLException {
        int inserted = SqlTransaction.run(dataSource, c -> insert(c, 1) + insert(c, 2));

        assertThat(inserted).isEqualTo(2);
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void workThatThrowsIsRolledBackWholeAndTheErrorReachesTheCaller() throws SQLException {
        assertThatThrownBy(() -> SqlTransaction.run(dataSource, c -> {
                    insert(c, 1);
                    throw new IllegalStateException("refused after the first row");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("refused after the first row");
        assertThatThrownBy(() -> SqlTransaction.run(dataSource, c -> {
                    insert(c, 2);
                    return c.createStatement().executeUpdate("INSERT INTO no_such_table VALUES (1)");
                }))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no_such_table");

        assertThat(count()).isZero();
    }

    private static int insert(Connection c, int v) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
            s.setInt(1, v);
            return s.executeUpdate();
        }
    }

    private int count() throws SQLException {
        return SqlTransaction.run(dataSource, c -> {
            try (ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
                r.next();
                return r.getInt(1);
            }
        });
    }
}
