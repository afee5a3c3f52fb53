package io.tsunagu.server.update.uptane;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.metadata.SqlTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The ECUs of each car (table {@code vehicle_ecus}, V8), set by operators through the API and later reported by the
 * car. The director binds images to these: an image reaches an ECU only through its serial and hardware id. A car has
 * at most one primary ECU. Thread-safe; every write is one transaction.
 */
public final class EcuInventory {
    private final DataSource dataSource;
    private final Clock clock;

    public EcuInventory(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The car's ECUs, primary first, then by serial; empty if none are known. */
    public List<VehicleEcu> list(Vin vin) {
        try (Connection c = dataSource.getConnection()) {
            return list(c, vin);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Replaces the car's whole inventory.
     *
     * @throws UptaneException INVALID ({@code invalid_ecus}) if a serial repeats or more than one ECU is primary
     */
    public List<VehicleEcu> replace(Vin vin, List<VehicleEcu> ecus) {
        check(ecus);
        return transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM vehicle_ecus WHERE vin = ?")) {
                delete.setString(1, vin.value());
                delete.executeUpdate();
            }
            for (VehicleEcu ecu : ecus) {
                insert(c, vin, ecu);
            }
            return list(c, vin);
        });
    }

    /**
     * Adds one ECU, or updates the one with the same serial.
     *
     * @throws UptaneException CONFLICT ({@code primary_exists}) if it is primary and another ECU already is
     */
    public List<VehicleEcu> put(Vin vin, VehicleEcu ecu) {
        return transaction(c -> {
            List<VehicleEcu> others = new ArrayList<>(list(c, vin));
            others.removeIf(e -> e.serial().equals(ecu.serial()));
            if (ecu.primary() && others.stream().anyMatch(VehicleEcu::primary)) {
                throw UptaneException.conflict(
                        "primary_exists",
                        "vehicle " + vin
                                + " already has a primary ECU; mark it non-primary first, or PUT the whole list");
            }
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM vehicle_ecus WHERE vin = ? AND serial = ?")) {
                delete.setString(1, vin.value());
                delete.setString(2, ecu.serial());
                delete.executeUpdate();
            }
            insert(c, vin, ecu);
            return list(c, vin);
        });
    }

    private static void check(List<VehicleEcu> ecus) {
        Set<String> serials = new HashSet<>();
        for (VehicleEcu ecu : ecus) {
            if (!serials.add(ecu.serial())) {
                throw UptaneException.invalid("invalid_ecus", "ECU serial " + ecu.serial() + " is listed twice");
            }
        }
        if (ecus.stream().filter(VehicleEcu::primary).count() > 1) {
            throw UptaneException.invalid("invalid_ecus", "a car has at most one primary ECU");
        }
    }

    private void insert(Connection c, Vin vin, VehicleEcu ecu) throws SQLException {
        String sql =
                "INSERT INTO vehicle_ecus (vin, serial, hardware_id, is_primary, updated_at) VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, vin.value());
            s.setString(2, ecu.serial());
            s.setString(3, ecu.hardwareId());
            s.setBoolean(4, ecu.primary());
            s.setObject(5, clock.instant().atOffset(ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    private static List<VehicleEcu> list(Connection c, Vin vin) throws SQLException {
        String sql = "SELECT serial, hardware_id, is_primary FROM vehicle_ecus WHERE vin = ?"
                + " ORDER BY is_primary DESC, serial";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, vin.value());
            List<VehicleEcu> ecus = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    ecus.add(new VehicleEcu(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
                }
            }
            return ecus;
        }
    }

    private <T> T transaction(SqlTransaction.Work<T> work) {
        try {
            return SqlTransaction.run(dataSource, work);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static UptaneException unavailable(SQLException e) {
        return new UptaneException(
                UptaneException.Kind.UNAVAILABLE,
                "ecu_storage_unavailable",
                "cannot read or write the ECU inventory: " + e.getMessage(),
                e);
    }
}
