package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.protocol.Vin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The {@code installed_base} table: per car, the distribution of its last successful action. Thread-safe. */
public final class InstalledBaseStore {
    private final RolloutSql sql;

    public InstalledBaseStore(RolloutSql sql) {
        this.sql = sql;
    }

    /** A car's installed distribution and the action that installed it. */
    public record Installed(long distributionId, long actionId, Instant installedAt) {}

    public Optional<Installed> find(Vin vin) {
        return sql.transaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT distribution_id, action_id, installed_at FROM installed_base WHERE vin = ?")) {
                select.setString(1, vin.value());
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(new Installed(
                                    row.getLong(1), row.getLong(2), RolloutSql.instant(row, "installed_at")))
                            : Optional.empty();
                }
            }
        });
    }

    /** Installed versions of distributions named {@code name}, by car. */
    static Map<Vin, String> versions(Connection connection, String name) throws SQLException {
        Map<Vin, String> out = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT b.vin, d.version FROM installed_base b"
                + " JOIN distributions d ON d.id = b.distribution_id WHERE d.name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    out.put(Vin.of(row.getString(1)), row.getString(2));
                }
            }
        }
        return out;
    }

    /** Records that {@code actionId} installed {@code distributionId} on the car (replacing what it had). */
    static void record(Connection connection, Vin vin, long distributionId, long actionId, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE installed_base SET distribution_id = ?, action_id = ?, installed_at = ? WHERE vin = ?")) {
            update.setLong(1, distributionId);
            update.setLong(2, actionId);
            RolloutSql.setInstant(update, 3, now);
            update.setString(4, vin.value());
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO installed_base (vin,"
                + " distribution_id, action_id, installed_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, vin.value());
            insert.setLong(2, distributionId);
            insert.setLong(3, actionId);
            RolloutSql.setInstant(insert, 4, now);
            insert.executeUpdate();
        }
    }
}
