package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.server.update.rollout.Distribution;
import io.tsunagu.server.update.rollout.RolloutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code distributions}, {@code distribution_modules} and {@code distribution_artifacts} tables. Distributions are
 * immutable once inserted, so reads need no locking. Thread-safe.
 */
public final class DistributionStore {
    private static final String UNIQUE_VIOLATION = "23505";

    private final RolloutSql sql;

    public DistributionStore(RolloutSql sql) {
        this.sql = sql;
    }

    /** A validated distribution without its id and creation time. */
    public record NewDistribution(
            String name,
            String version,
            String model,
            String description,
            List<Distribution.SoftwareModule> modules,
            String createdBy) {}

    /**
     * Stores a distribution.
     *
     * @throws RolloutException {@code distribution_exists} (conflict) if the name and version are taken
     */
    public Distribution insert(NewDistribution d, Instant now) {
        try {
            return sql.transaction(connection -> {
                long id = RolloutSql.allocate(connection, "distribution", 1);
                insertRow(connection, id, d, now);
                insertModules(connection, id, d.modules());
                return new Distribution(
                        id, d.name(), d.version(), d.model(), d.description(), d.modules(), d.createdBy(), now);
            });
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                throw RolloutException.conflict(
                        "distribution_exists", "distribution " + d.name() + " " + d.version() + " already exists");
            }
            throw e;
        }
    }

    public Optional<Distribution> find(long id) {
        return sql.transaction(connection -> find(connection, id));
    }

    /** Every distribution, newest first, at most {@code limit}. */
    public List<Distribution> list(int limit) {
        return sql.transaction(connection -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT id FROM distributions ORDER BY id DESC")) {
                select.setMaxRows(limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        ids.add(row.getLong(1));
                    }
                }
            }
            List<Distribution> out = new ArrayList<>();
            for (long id : ids) {
                find(connection, id).ifPresent(out::add);
            }
            return out;
        });
    }

    static Optional<Distribution> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, version, model, description, created_by, created_at FROM distributions WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Distribution(
                        id,
                        row.getString("name"),
                        row.getString("version"),
                        row.getString("model"),
                        row.getString("description"),
                        modules(connection, id),
                        row.getString("created_by"),
                        RolloutSql.instant(row, "created_at")));
            }
        }
    }

    private static List<Distribution.SoftwareModule> modules(Connection connection, long id) throws SQLException {
        Map<Integer, List<Distribution.Artifact>> artifacts = artifacts(connection, id);
        List<Distribution.SoftwareModule> modules = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT position, hardware_id, name, type, version"
                + " FROM distribution_modules WHERE distribution_id = ? ORDER BY position")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    modules.add(new Distribution.SoftwareModule(
                            row.getString("hardware_id"),
                            row.getString("name"),
                            row.getString("type"),
                            row.getString("version"),
                            artifacts.getOrDefault(row.getInt("position"), List.of())));
                }
            }
        }
        return modules;
    }

    private static Map<Integer, List<Distribution.Artifact>> artifacts(Connection connection, long id)
            throws SQLException {
        Map<Integer, List<Distribution.Artifact>> out = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT module_position, sha256, filename,"
                + " length_bytes FROM distribution_artifacts WHERE distribution_id = ?"
                + " ORDER BY module_position, position")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    out.computeIfAbsent(row.getInt("module_position"), p -> new ArrayList<>())
                            .add(new Distribution.Artifact(
                                    row.getString("sha256"), row.getString("filename"), row.getLong("length_bytes")));
                }
            }
        }
        return out;
    }

    private static void insertRow(Connection connection, long id, NewDistribution d, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO distributions (id, name, version,"
                + " model, description, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setString(2, d.name());
            insert.setString(3, d.version());
            insert.setString(4, d.model());
            insert.setString(5, d.description());
            insert.setString(6, d.createdBy());
            RolloutSql.setInstant(insert, 7, now);
            insert.executeUpdate();
        }
    }

    private static void insertModules(Connection connection, long id, List<Distribution.SoftwareModule> modules)
            throws SQLException {
        try (PreparedStatement module = connection.prepareStatement("INSERT INTO distribution_modules"
                        + " (distribution_id, position, hardware_id, name, type, version) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement artifact = connection.prepareStatement("INSERT INTO distribution_artifacts"
                        + " (distribution_id, module_position, position, sha256, filename, length_bytes)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int m = 0; m < modules.size(); m++) {
                Distribution.SoftwareModule sm = modules.get(m);
                module.setLong(1, id);
                module.setInt(2, m + 1);
                module.setString(3, sm.hardwareId());
                module.setString(4, sm.name());
                module.setString(5, sm.type());
                module.setString(6, sm.version());
                module.executeUpdate();
                for (int a = 0; a < sm.artifacts().size(); a++) {
                    Distribution.Artifact art = sm.artifacts().get(a);
                    artifact.setLong(1, id);
                    artifact.setInt(2, m + 1);
                    artifact.setInt(3, a + 1);
                    artifact.setString(4, art.sha256());
                    artifact.setString(5, art.filename());
                    artifact.setLong(6, art.lengthBytes());
                    artifact.executeUpdate();
                }
            }
        }
    }
}
