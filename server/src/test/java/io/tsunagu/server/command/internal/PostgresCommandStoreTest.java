package io.tsunagu.server.command.internal;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.SharedPostgres;

/** The command store tests on a real PostgreSQL server (one server for the test JVM, a fresh database per test). */
class PostgresCommandStoreTest extends CommandStoreTest {
    @Override
    MetadataDatabase openDatabase() {
        return SharedPostgres.openNew("commands");
    }
}
