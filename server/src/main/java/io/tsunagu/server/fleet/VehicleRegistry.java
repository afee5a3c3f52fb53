package io.tsunagu.server.fleet;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.internal.Sql;
import io.tsunagu.server.metadata.SqlTransaction;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of vehicles and the certificates issued to them, stored in the metadata database (the source of truth)
 * in tables {@code vehicles}, {@code vehicle_tags} and {@code certificates}.
 *
 * <p>{@link #certificateTrusted} runs on every MQTT connect, so it reads an in-memory index of the unrevoked
 * certificates, loaded when the registry is constructed and updated by every write made through this instance. A
 * revocation takes effect for the next connect as soon as {@link #revoke} returns. Another server node's writes reach
 * this index only through {@link #reloadTrust()}.
 *
 * <p>{@link #ownerOf} runs on every per-car API request, so it reads an in-memory index of owners by VIN, filled on
 * first use of each VIN. That index never goes stale, on any node: a vehicle is never deleted and its owner never
 * changes (revocation keeps the row). A VIN not (yet) registered is not remembered.
 *
 * <p>Thread-safe. Writes that change trust ({@link #recordCertificate}, {@link #revoke}) are serialised so the index
 * never trusts a certificate of a vehicle that was revoked concurrently.
 */
public final class VehicleRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(VehicleRegistry.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final ReentrantLock trustWrites = new ReentrantLock();
    /** Unrevoked certificates by serial number. */
    private final ConcurrentHashMap<BigInteger, TrustedCertificate> trusted = new ConcurrentHashMap<>();

    /** Owners of registered vehicles by VIN; see the class comment for why entries never go stale. */
    private final ConcurrentHashMap<Vin, String> owners = new ConcurrentHashMap<>();

    private record TrustedCertificate(Vin vin, Instant notAfter) {}

    /** Opens the registry on a migrated metadata database and loads the trust index. */
    public VehicleRegistry(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        reloadTrust();
    }

    /**
     * Registers a vehicle. {@code model} and {@code owner} must be non-blank (they are stripped), at most 200
     * characters; every tag must match {@code [a-z0-9._-]{1,64}}.
     *
     * @throws FleetException {@code vehicle_exists} if the VIN is registered, {@code invalid_vehicle} on bad input
     */
    public Vehicle register(Vin vin, String model, String owner, Set<String> tags) {
        VehicleInput input = VehicleInput.validate(model, owner, tags);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try {
            SqlTransaction.run(dataSource, connection -> {
                insertVehicle(connection, vin, input, now);
                insertTags(connection, vin, input.tags());
                return null;
            });
        } catch (SQLException e) {
            if (Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new FleetException(FleetException.VEHICLE_EXISTS, "vehicle " + vin + " is already registered");
            }
            throw FleetException.storage("registering vehicle " + vin, e);
        }
        LOG.info(
                "Registered vehicle {} (model {}, {} tags)",
                vin,
                input.model(),
                input.tags().size());
        return new Vehicle(
                vin, input.model(), input.owner(), input.tags(), now, Optional.empty(), false, Optional.empty());
    }

    /** The vehicle with this VIN, if registered (revoked vehicles included). */
    public Optional<Vehicle> find(Vin vin) {
        return read("finding vehicle " + vin, VehicleRows.Filter.vin(vin)).stream()
                .findFirst();
    }

    /**
     * The owner of the vehicle with this VIN, if registered (revoked vehicles included): what an API request needs to
     * decide whether the caller may see the car, without reading its tags and certificates.
     */
    public Optional<String> ownerOf(Vin vin) {
        String known = owners.get(vin);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> owner = readOwner(vin);
        owner.ifPresent(o -> owners.put(vin, o));
        return owner;
    }

    private Optional<String> readOwner(Vin vin) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT owner_name FROM vehicles WHERE vin = ?")) {
            statement.setString(1, vin.value());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw FleetException.storage("finding the owner of vehicle " + vin, e);
        }
    }

    /** All vehicles, or those of one owner, sorted by VIN. */
    public List<Vehicle> list(Optional<String> owner) {
        return read("listing vehicles", owner.map(VehicleRows.Filter::owner).orElseGet(VehicleRows.Filter::all));
    }

    /** The number of registered vehicles, revoked ones included. */
    public int count() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM vehicles");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw FleetException.storage("counting vehicles", e);
        }
    }

    /**
     * Records a certificate issued to a registered, unrevoked vehicle and trusts it from now on.
     *
     * @throws FleetException {@code vehicle_not_found} or {@code vehicle_revoked}
     */
    public Vehicle recordCertificate(Vin vin, BigInteger serial, Instant notBefore, Instant notAfter) {
        trustWrites.lock();
        try {
            SqlTransaction.run(dataSource, connection -> {
                requireActive(connection, vin);
                insertCertificate(connection, vin, serial, notBefore, notAfter);
                return null;
            });
            trusted.put(serial, new TrustedCertificate(vin, notAfter));
        } catch (SQLException e) {
            throw FleetException.storage("recording a certificate for vehicle " + vin, e);
        } finally {
            trustWrites.unlock();
        }
        LOG.info("Recorded certificate {} for vehicle {}, valid until {}", serial.toString(16), vin, notAfter);
        return find(vin).orElseThrow();
    }

    /**
     * Revokes a vehicle and every certificate issued to it; its next connect is refused. Revoking a revoked vehicle
     * changes nothing.
     *
     * @throws FleetException {@code vehicle_not_found}
     */
    public Vehicle revoke(Vin vin) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        trustWrites.lock();
        try {
            List<BigInteger> serials = SqlTransaction.run(dataSource, connection -> revokeRows(connection, vin, now));
            serials.forEach(trusted::remove);
            LOG.info("Revoked vehicle {} and {} certificates", vin, serials.size());
        } catch (SQLException e) {
            throw FleetException.storage("revoking vehicle " + vin, e);
        } finally {
            trustWrites.unlock();
        }
        return find(vin).orElseThrow();
    }

    /**
     * True only if {@code serial} was issued to {@code vin}, is not revoked and has not expired. Answers from memory;
     * safe to call on every connect.
     */
    public boolean certificateTrusted(Vin vin, BigInteger serial) {
        TrustedCertificate certificate = trusted.get(serial);
        return certificate != null
                && certificate.vin().equals(vin)
                && clock.instant().isBefore(certificate.notAfter());
    }

    /** Rebuilds the trust index from the database, picking up writes made by other server nodes. */
    public void reloadTrust() {
        trustWrites.lock();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT serial_hex, vin, not_after FROM certificates WHERE revoked_at IS NULL");
                ResultSet rs = statement.executeQuery()) {
            Map<BigInteger, TrustedCertificate> loaded = new HashMap<>();
            while (rs.next()) {
                loaded.put(
                        new BigInteger(rs.getString("serial_hex"), 16),
                        new TrustedCertificate(new Vin(rs.getString("vin")), Sql.instant(rs, "not_after")));
            }
            trusted.keySet().retainAll(loaded.keySet());
            trusted.putAll(loaded);
            LOG.debug("Trust index holds {} certificates", loaded.size());
        } catch (SQLException e) {
            throw FleetException.storage("loading trusted certificates", e);
        } finally {
            trustWrites.unlock();
        }
    }

    private List<Vehicle> read(String what, VehicleRows.Filter filter) {
        try (Connection connection = dataSource.getConnection()) {
            return VehicleRows.read(connection, filter);
        } catch (SQLException e) {
            throw FleetException.storage(what, e);
        }
    }

    private static void insertVehicle(Connection connection, Vin vin, VehicleInput input, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO vehicles (vin, model, owner_name, registered_at) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, vin.value());
            statement.setString(2, input.model());
            statement.setString(3, input.owner());
            Sql.setInstant(statement, 4, now);
            statement.executeUpdate();
        }
    }

    private static void insertTags(Connection connection, Vin vin, Set<String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement statement =
                connection.prepareStatement("INSERT INTO vehicle_tags (vin, tag) VALUES (?, ?)")) {
            for (String tag : tags) {
                statement.setString(1, vin.value());
                statement.setString(2, tag);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void insertCertificate(
            Connection connection, Vin vin, BigInteger serial, Instant notBefore, Instant notAfter)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO certificates (serial_hex, vin, not_before, not_after) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, serial.toString(16));
            statement.setString(2, vin.value());
            Sql.setInstant(statement, 3, notBefore);
            Sql.setInstant(statement, 4, notAfter);
            statement.executeUpdate();
        }
    }

    /** Locks the vehicle row; fails unless the vehicle exists and is not revoked. */
    private static void requireActive(Connection connection, Vin vin) throws SQLException {
        if (lockVehicle(connection, vin).isPresent()) {
            throw new FleetException(
                    FleetException.VEHICLE_REVOKED, "vehicle " + vin + " is revoked and gets no new certificates");
        }
    }

    /** Locks the vehicle row and returns its revocation time; fails if the vehicle does not exist. */
    private static Optional<Instant> lockVehicle(Connection connection, Vin vin) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT revoked_at FROM vehicles WHERE vin = ? FOR UPDATE")) {
            statement.setString(1, vin.value());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new FleetException(FleetException.VEHICLE_NOT_FOUND, "vehicle " + vin + " is not registered");
                }
                return Sql.optionalInstant(rs, "revoked_at");
            }
        }
    }

    private static List<BigInteger> revokeRows(Connection connection, Vin vin, Instant now) throws SQLException {
        if (lockVehicle(connection, vin).isEmpty()) {
            update(connection, "UPDATE vehicles SET revoked_at = ? WHERE vin = ?", vin, now);
        }
        update(connection, "UPDATE certificates SET revoked_at = ? WHERE vin = ? AND revoked_at IS NULL", vin, now);
        List<BigInteger> serials = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT serial_hex FROM certificates WHERE vin = ?")) {
            statement.setString(1, vin.value());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    serials.add(new BigInteger(rs.getString(1), 16));
                }
            }
        }
        return serials;
    }

    private static void update(Connection connection, String sql, Vin vin, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Sql.setInstant(statement, 1, now);
            statement.setString(2, vin.value());
            statement.executeUpdate();
        }
    }
}
