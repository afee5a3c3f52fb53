package io.tsunagu.server.update.uptane;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.SharedPostgres;

/** The repository tests on a real PostgreSQL server (Zonky's embedded binaries, one fresh database per test). */
class PostgresUptaneRepositoriesTest extends UptaneRepositoriesTest {
    /** This test's database, created on first use; a reopen within the test gets the same one. */
    String database = "";

    @Override
    MetadataDatabase openDatabase() {
        if (database.isEmpty()) {
            database = SharedPostgres.createDatabase("uptane");
        }
        return SharedPostgres.open(database);
    }
}
