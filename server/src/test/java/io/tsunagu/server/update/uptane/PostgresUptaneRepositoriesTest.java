package io.tsunagu.server.update.uptane;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The repository tests on a real PostgreSQL server (Zonky's embedded binaries, one fresh database per test). */
class PostgresUptaneRepositoriesTest extends UptaneRepositoriesTest {
    static EmbeddedPostgres postgres;
    static final AtomicInteger DATABASES = new AtomicInteger();

    String name = "";

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    MetadataDatabase openDatabase() {
        if (name.isEmpty()) {
            name = "uptane_" + DATABASES.incrementAndGet();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create test database " + name, e);
            }
        }
        return MetadataDatabase.open(postgres.getJdbcUrl("postgres", name), "postgres", "postgres");
    }
}
