package io.tsunagu.server.metadata;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata SQL database: a HikariCP pool over a JDBC URL, migrated by Flyway from {@code classpath:db/migration}
 * when opened. Thread-safe; close it once at shutdown.
 *
 * <p>Migrations are shared by every server capability and must run unchanged on H2 ({@code MODE=PostgreSQL}) and
 * PostgreSQL: plain {@code VARCHAR}, {@code BIGINT}, {@code BOOLEAN}, {@code TIMESTAMP WITH TIME ZONE}, no
 * engine-specific functions, no {@code SERIAL}/identity tricks.
 */
public final class MetadataDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataDatabase.class);
    private static final String MIGRATIONS = "classpath:db/migration";
    private static final int POOL_SIZE = 8;

    private final HikariDataSource dataSource;

    private MetadataDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Opens (creating if needed) the embedded H2 database file {@code <dataDir>/metadata.mv.db}. Durable against a
     * killed process: {@code WRITE_DELAY=0} makes every commit write the MVStore to the file before it returns. H2's
     * default (500 ms) keeps committed rows in memory until its background writer runs, so a vehicle registered just
     * before a crash was gone after the restart although the API had answered 201 with its certificate.
     */
    public static MetadataDatabase embedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new MetadataException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return open(embeddedUrl(dataDir), "sa", "");
    }

    /** The JDBC URL {@link #embedded} uses for a data directory. */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("metadata")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
                // Closed by our own ordered shutdown (the pool closes last), not by H2's JVM hook, which closed it
                // under a command sweep still running at Ctrl-C.
                + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Opens a database by JDBC URL ({@code jdbc:postgresql:...} or {@code jdbc:h2:...}) and migrates it. */
    public static MetadataDatabase open(String jdbcUrl, String user, String password) {
        HikariDataSource pool = pool(jdbcUrl, user, password);
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new MetadataDatabase(pool);
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("tsunagu-metadata");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // Hikari wraps connection failures; the URL carries no secret, the password is never included.
            throw new MetadataException(
                    "cannot connect to metadata database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource) {
        try {
            var result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            LOG.info(
                    "Metadata database at schema version {} ({} migrations applied now)",
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new MetadataException("migrating the metadata database failed: " + e.getMessage(), e);
        }
    }

    /** Drops URL parameters, which may carry credentials ({@code ?password=...}), from messages. */
    private static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }

    /** The pooled data source; connections must be closed by the caller (try-with-resources). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Closes the pool; for embedded H2 this also closes the database file. */
    @Override
    public void close() {
        dataSource.close();
    }
}
