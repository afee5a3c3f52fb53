package io.tsunagu.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.SharedPostgres;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The registry tests, the same Flyway migrations and the API users on a real PostgreSQL server (Zonky's embedded
 * binaries, one server for the test JVM, one fresh database per test).
 */
class PostgresVehicleRegistryTest extends VehicleRegistryTest {
    /** This test's database, created on first use; a reopen within the test gets the same one. */
    String database = "";

    @Override
    MetadataDatabase openDatabase() {
        if (database.isEmpty()) {
            database = SharedPostgres.createDatabase("registry");
        }
        return SharedPostgres.open(database);
    }

    @Test
    void apiUsersWorkOnPostgres() {
        ApiUsers users = new ApiUsers(db.dataSource(), Clock.systemUTC());

        CreatedUser created = users.create("alice", Role.OWNER);

        assertThat(users.authenticate(created.token())).contains(new Principal("alice", Role.OWNER));
        assertThat(users.authenticate(created.token() + "x")).isEmpty();
    }
}
