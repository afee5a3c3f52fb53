package io.tsunagu.server.update;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.SharedPostgres;

/** The artifact store tests on a real PostgreSQL server (one server for the test JVM, a fresh database per test). */
class PostgresArtifactStoreTest extends ArtifactStoreTest {
    @Override
    MetadataDatabase openDatabase() {
        return SharedPostgres.openNew("artifacts");
    }
}
