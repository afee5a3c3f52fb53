package io.tsunagu.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry tests, the same Flyway migrations and the API users on a real PostgreSQL server (Zonky's embedded
 * binaries, one server per class, one fresh database per test).
 */
class PostgresVehicleRegistryTest extends VehicleRegistryTest {
    static EmbeddedPostgres postgres;

    static final AtomicInteger DATABASES = new AtomicInteger();

    String database = "";

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    /** Creates this test's database on first use; a reopen within the test gets the same database. */
    @Override
    MetadataDatabase openDatabase() {
        if (database.isEmpty()) {
            database = "test_" + DATABASES.incrementAndGet();
            createDatabase(database);
        }
        return MetadataDatabase.open(postgres.getJdbcUrl("postgres", database), "postgres", "postgres");
    }

    private static void createDatabase(String name) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
    }

    @Test
    void apiUsersWorkOnPostgres() {
        ApiUsers users = new ApiUsers(db.dataSource(), Clock.systemUTC());

        CreatedUser created = users.create("alice", Role.OWNER);

        assertThat(users.authenticate(created.token())).contains(new Principal("alice", Role.OWNER));
        assertThat(users.authenticate(created.token() + "x")).isEmpty();
    }
}
