package io.tsunagu.server.update.uptane.internal;

import io.tsunagu.protocol.update.RepositorySigner;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.server.metadata.SqlTransaction;
import io.tsunagu.server.update.uptane.UptaneException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The signed metadata in tables {@code uptane_roots} and {@code uptane_published} (V8). A publish replaces the three
 * files of its scope in one statement, and only if its timestamp version is higher than the stored one: versions never
 * go back, also when two server nodes race. Portable JDBC (H2 and PostgreSQL). Thread-safe.
 */
public final class MetadataRows {
    /** One scope's last publish, with the root version whose keys signed it and when it is due for re-signing. */
    public record Row(RepositorySigner.Published published, long rootVersion, Instant refreshAt) {}

    private final DataSource dataSource;

    public MetadataRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every root of {@code repository}, oldest first. */
    public List<SignedMetadata> roots(String repository) {
        return query("SELECT content FROM uptane_roots WHERE repository = ? ORDER BY version", s -> {
            s.setString(1, repository);
            List<SignedMetadata> roots = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    roots.add(SignedMetadata.parse(rows.getBytes(1)));
                }
            }
            return roots;
        });
    }

    /** Stores a new root; a root of that version must not exist yet. */
    public void insertRoot(String repository, SignedMetadata root, Instant now) {
        query("INSERT INTO uptane_roots (repository, version, content, created_at) VALUES (?, ?, ?, ?)", s -> {
            s.setString(1, repository);
            s.setLong(2, root.version());
            s.setBytes(3, root.toJsonBytes());
            s.setObject(4, now.atOffset(ZoneOffset.UTC));
            return s.executeUpdate();
        });
    }

    public Optional<Row> published(String repository, String scope) {
        String sql = "SELECT targets, snapshot, timestamp_file, root_version, refresh_at FROM uptane_published"
                + " WHERE repository = ? AND scope = ?";
        return query(sql, s -> {
            s.setString(1, repository);
            s.setString(2, scope);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(row(rows)) : Optional.empty();
            }
        });
    }

    /** The scopes due for re-signing at {@code now}, at most {@code limit}. */
    public List<String> dueScopes(String repository, Instant now, int limit) {
        String sql = "SELECT scope FROM uptane_published WHERE repository = ? AND refresh_at <= ?"
                + " ORDER BY refresh_at LIMIT " + limit;
        return query(sql, s -> {
            s.setString(1, repository);
            s.setObject(2, now.atOffset(ZoneOffset.UTC));
            List<String> scopes = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    scopes.add(rows.getString(1));
                }
            }
            return scopes;
        });
    }

    /** Marks every scope of {@code repository} due now (after a root rotation changed the signing keys). */
    public void markAllDue(String repository, Instant now) {
        query("UPDATE uptane_published SET refresh_at = ? WHERE repository = ?", s -> {
            s.setObject(1, now.atOffset(ZoneOffset.UTC));
            s.setString(2, repository);
            return s.executeUpdate();
        });
    }

    /**
     * Stores a publish. Returns false (and stores nothing) if the stored timestamp version is not lower, i.e. another
     * writer got there first.
     */
    public boolean save(String repository, String scope, Row row, Instant now) {
        try {
            return transaction(c -> update(c, repository, scope, row, now) || insert(c, repository, scope, row, now));
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw unavailable(e);
        }
    }

    private static boolean update(Connection c, String repository, String scope, Row row, Instant now)
            throws SQLException {
        String sql = "UPDATE uptane_published SET root_version = ?, targets_version = ?, snapshot_version = ?,"
                + " timestamp_version = ?, targets = ?, snapshot = ?, timestamp_file = ?, refresh_at = ?, updated_at = ?"
                + " WHERE repository = ? AND scope = ? AND timestamp_version < ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = bind(s, row, now);
            s.setString(i++, repository);
            s.setString(i++, scope);
            s.setLong(i, row.published().timestamp().version());
            if (s.executeUpdate() == 1) {
                return true;
            }
        }
        return false;
    }

    private static boolean insert(Connection c, String repository, String scope, Row row, Instant now)
            throws SQLException {
        try (PreparedStatement exists =
                c.prepareStatement("SELECT 1 FROM uptane_published WHERE repository = ? AND scope = ?")) {
            exists.setString(1, repository);
            exists.setString(2, scope);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return false;
                }
            }
        }
        String sql = "INSERT INTO uptane_published (root_version, targets_version, snapshot_version,"
                + " timestamp_version, targets, snapshot, timestamp_file, refresh_at, updated_at, repository, scope)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = bind(s, row, now);
            s.setString(i++, repository);
            s.setString(i, scope);
            return s.executeUpdate() == 1;
        }
    }

    private static int bind(PreparedStatement s, Row row, Instant now) throws SQLException {
        RepositorySigner.Published p = row.published();
        s.setLong(1, row.rootVersion());
        s.setLong(2, p.targets().version());
        s.setLong(3, p.snapshot().version());
        s.setLong(4, p.timestamp().version());
        s.setBytes(5, p.targets().toJsonBytes());
        s.setBytes(6, p.snapshot().toJsonBytes());
        s.setBytes(7, p.timestamp().toJsonBytes());
        s.setObject(8, row.refreshAt().atOffset(ZoneOffset.UTC));
        s.setObject(9, now.atOffset(ZoneOffset.UTC));
        return 10;
    }

    private static Row row(ResultSet rows) throws SQLException {
        RepositorySigner.Published published = new RepositorySigner.Published(
                SignedMetadata.parse(rows.getBytes(1)),
                SignedMetadata.parse(rows.getBytes(2)),
                SignedMetadata.parse(rows.getBytes(3)));
        return new Row(
                published,
                rows.getLong(4),
                rows.getObject(5, OffsetDateTime.class).toInstant());
    }

    @FunctionalInterface
    private interface Statement<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T query(String sql, Statement<T> work) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            return work.run(s);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private <T> T transaction(SqlTransaction.Work<T> work) throws SQLException {
        return SqlTransaction.run(dataSource, work);
    }

    private static UptaneException unavailable(SQLException e) {
        return new UptaneException(
                UptaneException.Kind.UNAVAILABLE,
                "uptane_storage_unavailable",
                "cannot read or write Uptane metadata: " + e.getMessage(),
                e);
    }
}
