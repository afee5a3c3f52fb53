package io.tsunagu.server.update.rollout;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.SharedPostgres;

/** The rollout tests on a real PostgreSQL server (one server for the test JVM, a fresh database per test). */
class PostgresRolloutServiceTest extends RolloutServiceTest {
    @Override
    MetadataDatabase openDatabase() {
        return SharedPostgres.openNew("rollouts");
    }
}
