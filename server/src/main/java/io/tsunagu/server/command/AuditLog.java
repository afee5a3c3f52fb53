package io.tsunagu.server.command;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.metadata.MetadataException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Who asked what of which car, and what came of it: one row per request, cancellation, car result and expiry, in
 * the {@code command_audit} table. Rows are only ever added. Thread-safe.
 */
public final class AuditLog {
    /** The principal of entries the car caused (its results): {@code car:<vin>}. */
    public static String car(Vin vin) {
        return "car:" + vin.value();
    }

    /** The principal of entries the server caused on its own (expiry). */
    public static final String SYSTEM = "system";

    /**
     * One entry.
     *
     * @param outcome what happened, e.g. {@code queued}, {@code cancelled}, {@code failed: not_plugged_in}
     */
    public record Entry(
            String id,
            Instant at,
            String principal,
            Vin vin,
            String commandId,
            String action,
            Map<String, String> params,
            String outcome) {}

    private final DataSource dataSource;
    private final Clock clock;

    public AuditLog(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Appends an entry about {@code command}. */
    public void record(String principal, Command command, String outcome) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO command_audit (id, at, principal,"
                        + " vin, command_id, action, params_json, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setObject(2, clock.instant().atOffset(ZoneOffset.UTC));
            insert.setString(3, principal);
            insert.setString(4, command.vin().value());
            insert.setString(5, command.id());
            insert.setString(6, command.action());
            insert.setString(7, io.tsunagu.server.command.internal.CommandStore.json(command.params()));
            insert.setString(8, outcome.length() <= 200 ? outcome : outcome.substring(0, 197) + "...");
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new MetadataException("cannot write the command audit log: " + e.getMessage(), e);
        }
    }

    /** Newest entries first, of one car or of all. */
    public List<Entry> list(Optional<Vin> vin, int limit) {
        String sql = "SELECT id, at, principal, vin, command_id, action, params_json, outcome FROM command_audit"
                + (vin.isPresent() ? " WHERE vin = ?" : "") + " ORDER BY at DESC, id";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            if (vin.isPresent()) {
                select.setString(1, vin.get().value());
            }
            select.setMaxRows(limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    out.add(new Entry(
                            row.getString("id"),
                            row.getObject("at", OffsetDateTime.class).toInstant(),
                            row.getString("principal"),
                            Vin.of(row.getString("vin")),
                            row.getString("command_id"),
                            row.getString("action"),
                            io.tsunagu.server.command.internal.CommandStore.params(row.getString("params_json")),
                            row.getString("outcome")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new MetadataException("cannot read the command audit log: " + e.getMessage(), e);
        }
    }
}
