package io.tsunagu.server.testing;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server (Zonky's embedded binaries) for every PostgreSQL test in this JVM, started on first use
 * and stopped when the JVM exits; each test takes a database of its own, so tests stay independent while the suite
 * pays one server start instead of one per test class.
 */
public final class SharedPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private SharedPostgres() {}

    /** Creates a new, empty database named {@code <prefix>_<n>} and returns its name. */
    public static String createDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return name;
    }

    /** Opens (and migrates) the metadata database {@code name} created by {@link #createDatabase}. */
    public static MetadataDatabase open(String name) {
        return MetadataDatabase.open(server().getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    /** A fresh database, migrated and open. */
    public static MetadataDatabase openNew(String prefix) {
        return open(createDatabase(prefix));
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is exiting; the server's files are in a temporary directory.
                }
            }));
        }
        return server;
    }
}
