package io.tsunagu.server.update.ddi;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.internal.Sql;
import io.tsunagu.server.metadata.SqlTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The controller attributes devices report with DDI {@code PUT configData} (hawkBit: target attributes), in table
 * {@code ddi_controller_attributes}, and whether the server should ask for them: as hawkBit does, until the first
 * report and again after each successful update (a new installed action). Thread-safe.
 */
public final class DdiControllerAttributes {
    /** Longest attribute name and value (hawkBit's limits are 128 and 128; values get more room here). */
    public static final int MAX_NAME_LENGTH = 128;

    public static final int MAX_VALUE_LENGTH = 1000;
    /** Most attributes per car, so one device cannot fill the table. */
    public static final int MAX_ATTRIBUTES = 100;

    private final DataSource dataSource;
    private final Clock clock;

    public DdiControllerAttributes(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Applies a report in its mode ({@code merge}, {@code replace}, {@code remove}) and remembers the installed action
     * it was made on.
     *
     * @throws DdiException {@code invalid_config_data} (400) for names or values that are too long or too many
     */
    public void apply(Vin vin, DdiConfigData report, OptionalLong installedActionId) {
        validate(report);
        try {
            SqlTransaction.run(dataSource, connection -> {
                Map<String, String> next = next(read(connection, vin), report);
                if (next.size() > MAX_ATTRIBUTES) {
                    throw invalid("a car may hold at most " + MAX_ATTRIBUTES + " attributes");
                }
                write(connection, vin, next);
                recordReport(connection, vin, installedActionId);
                return null;
            });
        } catch (SQLException e) {
            throw DdiException.storage("storing the controller attributes of " + vin, e);
        }
    }

    /** The car's attributes, by name. */
    public Map<String, String> attributes(Vin vin) {
        try (Connection connection = dataSource.getConnection()) {
            return read(connection, vin);
        } catch (SQLException e) {
            throw DdiException.storage("reading the controller attributes of " + vin, e);
        }
    }

    /** True if the server should link {@code configData}: no report yet, or none since the installed action changed. */
    public boolean requested(Vin vin, OptionalLong installedActionId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT installed_action_id FROM ddi_attribute_reports WHERE vin = ?")) {
            select.setString(1, vin.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return true;
                }
                long reportedOn = row.getLong(1);
                OptionalLong reported = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(reportedOn);
                return !reported.equals(installedActionId);
            }
        } catch (SQLException e) {
            throw DdiException.storage("reading the attribute report of " + vin, e);
        }
    }

    private static Map<String, String> next(Map<String, String> current, DdiConfigData report) {
        Map<String, String> next = new LinkedHashMap<>(current);
        switch (report.updateMode()) {
            case MERGE -> next.putAll(report.data());
            case REPLACE -> {
                next.clear();
                next.putAll(report.data());
            }
            case REMOVE -> report.data().keySet().forEach(next::remove);
        }
        return next;
    }

    private static void validate(DdiConfigData report) {
        for (var entry : report.data().entrySet()) {
            if (entry.getKey().isEmpty() || entry.getKey().length() > MAX_NAME_LENGTH) {
                throw invalid("attribute names must be 1-" + MAX_NAME_LENGTH + " characters");
            }
            if (entry.getValue() == null || entry.getValue().length() > MAX_VALUE_LENGTH) {
                throw invalid("attribute '" + entry.getKey() + "' must have a value of at most " + MAX_VALUE_LENGTH
                        + " characters");
            }
        }
    }

    private static DdiException invalid(String message) {
        return new DdiException("invalid_config_data", message);
    }

    private static Map<String, String> read(Connection connection, Vin vin) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT attr_name, attr_value FROM ddi_controller_attributes WHERE vin = ? ORDER BY attr_name")) {
            select.setString(1, vin.value());
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    out.put(row.getString("attr_name"), row.getString("attr_value"));
                }
            }
        }
        return out;
    }

    private static void write(Connection connection, Vin vin, Map<String, String> attributes) throws SQLException {
        try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM ddi_controller_attributes WHERE vin = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO ddi_controller_attributes (vin, attr_name, attr_value) VALUES (?, ?, ?)")) {
            delete.setString(1, vin.value());
            delete.executeUpdate();
            for (var entry : attributes.entrySet()) {
                insert.setString(1, vin.value());
                insert.setString(2, entry.getKey());
                insert.setString(3, entry.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void recordReport(Connection connection, Vin vin, OptionalLong installedActionId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM ddi_attribute_reports WHERE vin = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO ddi_attribute_reports (vin, reported_at, installed_action_id) VALUES (?, ?, ?)")) {
            delete.setString(1, vin.value());
            delete.executeUpdate();
            insert.setString(1, vin.value());
            Sql.setInstant(insert, 2, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            if (installedActionId.isPresent()) {
                insert.setLong(3, installedActionId.getAsLong());
            } else {
                insert.setNull(3, Types.BIGINT);
            }
            insert.executeUpdate();
        }
    }
}
