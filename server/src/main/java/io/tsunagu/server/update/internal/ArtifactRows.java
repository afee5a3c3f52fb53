package io.tsunagu.server.update.internal;

import io.tsunagu.server.metadata.SqlTransaction;
import io.tsunagu.server.update.Artifact;
import io.tsunagu.server.update.ArtifactException;
import io.tsunagu.server.update.Sha256;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code artifacts} and {@code artifact_hardware} tables (migration V5). An artifact and its hardware ids are
 * inserted in one transaction; a second insert of the same SHA-256 reports the existing row instead (the primary key
 * decides a race between two uploads of the same content). Thread-safe.
 */
public final class ArtifactRows {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS =
            "sha256, length_bytes, filename, version, release_notes, created_at, created_by";

    private final DataSource dataSource;

    public ArtifactRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts the artifact; if its SHA-256 is stored already, returns that row and changes nothing. */
    public Optional<Artifact> insertIfAbsent(Artifact artifact) {
        try {
            insert(artifact);
            return Optional.empty();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw failed("storing artifact " + artifact.sha256(), e);
            }
        }
        return Optional.of(find(artifact.sha256())
                .orElseThrow(() -> new IllegalStateException("artifact " + artifact.sha256() + " vanished")));
    }

    private void insert(Artifact artifact) throws SQLException {
        SqlTransaction.run(dataSource, connection -> {
            insertArtifact(connection, artifact);
            insertHardware(connection, artifact);
            return null;
        });
    }

    private static void insertArtifact(Connection connection, Artifact artifact) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO artifacts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, artifact.sha256().value());
            insert.setLong(2, artifact.lengthBytes());
            insert.setString(3, artifact.filename());
            insert.setString(4, artifact.version());
            insert.setString(5, artifact.releaseNotes());
            insert.setObject(6, artifact.createdAt().atOffset(ZoneOffset.UTC));
            insert.setString(7, artifact.createdBy());
            insert.executeUpdate();
        }
    }

    private static void insertHardware(Connection connection, Artifact artifact) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO artifact_hardware (sha256, hardware_id) VALUES (?, ?)")) {
            for (String id : artifact.hardwareIds()) {
                insert.setString(1, artifact.sha256().value());
                insert.setString(2, id);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public Optional<Artifact> find(Sha256 sha256) {
        List<Artifact> found = query("SELECT " + COLUMNS + " FROM artifacts WHERE sha256 = ?", List.of(sha256.value()));
        return found.stream().findFirst();
    }

    /** Newest first; only images that fit {@code hardwareId} if given. */
    public List<Artifact> list(Optional<String> hardwareId, int limit) {
        String where = hardwareId.isPresent()
                ? " WHERE sha256 IN (SELECT sha256 FROM artifact_hardware WHERE hardware_id = ?)"
                : "";
        return query(
                "SELECT " + COLUMNS + " FROM artifacts" + where + " ORDER BY created_at DESC, sha256 LIMIT "
                        + Math.max(1, limit),
                hardwareId.map(List::of).orElse(List.of()));
    }

    public long count() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM artifacts");
                ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw failed("counting artifacts", e);
        }
    }

    private List<Artifact> query(String sql, List<String> parameters) {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Row> rows = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    select.setString(i + 1, parameters.get(i));
                }
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.put(row.getString("sha256"), Row.of(row));
                    }
                }
            }
            List<Artifact> artifacts = new ArrayList<>(rows.size());
            for (Row row : rows.values()) {
                artifacts.add(row.toArtifact(hardwareIds(connection, row.sha256())));
            }
            return artifacts;
        } catch (SQLException e) {
            throw failed("reading artifacts", e);
        }
    }

    private static List<String> hardwareIds(Connection connection, String sha256) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT hardware_id FROM artifact_hardware WHERE sha256 = ? ORDER BY hardware_id")) {
            select.setString(1, sha256);
            List<String> ids = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ids.add(row.getString(1));
                }
            }
            return ids;
        }
    }

    private record Row(
            String sha256,
            long lengthBytes,
            String filename,
            String version,
            String releaseNotes,
            Instant createdAt,
            String createdBy) {
        static Row of(ResultSet row) throws SQLException {
            return new Row(
                    row.getString("sha256"),
                    row.getLong("length_bytes"),
                    row.getString("filename"),
                    row.getString("version"),
                    row.getString("release_notes"),
                    row.getObject("created_at", OffsetDateTime.class).toInstant(),
                    row.getString("created_by"));
        }

        Artifact toArtifact(List<String> hardwareIds) {
            return new Artifact(
                    Sha256.of(sha256), lengthBytes, filename, version, hardwareIds, releaseNotes, createdAt, createdBy);
        }
    }

    private static ArtifactException failed(String what, SQLException e) {
        return ArtifactException.storage(what + " failed: " + e.getMessage(), e);
    }
}
