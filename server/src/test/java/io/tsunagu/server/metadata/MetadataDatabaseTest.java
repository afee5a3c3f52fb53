package io.tsunagu.server.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataDatabaseTest {
    @TempDir
    Path dataDir;

    @Test
    void embeddedDatabaseIsCreatedInTheDataDirectoryAndMigrated() throws SQLException {
        try (MetadataDatabase db = MetadataDatabase.embedded(dataDir.resolve("nested"))) {
            assertThat(tables(db)).contains("vehicles", "vehicle_tags", "certificates", "api_users");
        }
        assertThat(Files.exists(dataDir.resolve("nested/metadata.mv.db"))).isTrue();
    }

    @Test
    void dataSurvivesClosingAndReopening() throws SQLException {
        try (MetadataDatabase db = MetadataDatabase.embedded(dataDir)) {
            execute(
                    db,
                    "INSERT INTO api_users (name, role, token_sha256, created_at)" + " VALUES ('carol', 'owner', '"
                            + "a".repeat(64) + "', CURRENT_TIMESTAMP)");
        }
        try (MetadataDatabase db = MetadataDatabase.embedded(dataDir)) {
            assertThat(count(db, "api_users")).isEqualTo(1);
        }
    }

    @Test
    void unreachableDatabaseFailsWithRetriableError() {
        assertThatThrownBy(() -> MetadataDatabase.open("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1", "u", "p"))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining("cannot connect")
                .satisfies(e -> assertThat(((MetadataException) e).retriable()).isTrue());
    }

    private static List<String> tables(MetadataDatabase db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    private static void execute(MetadataDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static int count(MetadataDatabase db, String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
