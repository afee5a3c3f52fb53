package io.tsunagu.server.fleet;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads vehicles with their tags and latest certificate in three queries (vehicles, tags, certificates) that share one
 * filter on the {@code vehicles v} alias, so a list of n vehicles costs three round trips, not 3n.
 */
final class VehicleRows {
    private static final Comparator<CertificateInfo> ISSUE_ORDER = Comparator.comparing(CertificateInfo::notBefore)
            .thenComparing(CertificateInfo::notAfter)
            .thenComparing(CertificateInfo::serialHex);

    /** A condition on {@code v} (the vehicles table) with at most one parameter. */
    record Filter(String condition, Optional<String> parameter) {
        static Filter all() {
            return new Filter("1 = 1", Optional.empty());
        }

        static Filter vin(Vin vin) {
            return new Filter("v.vin = ?", Optional.of(vin.value()));
        }

        static Filter owner(String owner) {
            return new Filter("v.owner_name = ?", Optional.of(owner));
        }
    }

    private record Row(Vin vin, String model, String owner, Instant registeredAt, Optional<Instant> revokedAt) {}

    private VehicleRows() {}

    static List<Vehicle> read(Connection connection, Filter filter) throws SQLException {
        List<Row> rows = vehicles(connection, filter);
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, Set<String>> tags = tags(connection, filter);
        Map<String, CertificateInfo> certificates = latestCertificates(connection, filter);
        List<Vehicle> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String vin = row.vin().value();
            result.add(new Vehicle(
                    row.vin(),
                    row.model(),
                    row.owner(),
                    tags.getOrDefault(vin, Set.of()),
                    row.registeredAt(),
                    Optional.ofNullable(certificates.get(vin)),
                    row.revokedAt().isPresent(),
                    row.revokedAt()));
        }
        return result;
    }

    private static List<Row> vehicles(Connection connection, Filter filter) throws SQLException {
        String sql = "SELECT v.vin, v.model, v.owner_name, v.registered_at, v.revoked_at FROM vehicles v WHERE "
                + filter.condition() + " ORDER BY v.vin";
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, sql, filter);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(
                        new Vin(rs.getString("vin")),
                        rs.getString("model"),
                        rs.getString("owner_name"),
                        Sql.instant(rs, "registered_at"),
                        Sql.optionalInstant(rs, "revoked_at")));
            }
        }
        return rows;
    }

    private static Map<String, Set<String>> tags(Connection connection, Filter filter) throws SQLException {
        String sql =
                "SELECT t.vin, t.tag FROM vehicle_tags t JOIN vehicles v ON v.vin = t.vin WHERE " + filter.condition();
        Map<String, Set<String>> tags = new HashMap<>();
        try (PreparedStatement statement = prepare(connection, sql, filter);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                tags.computeIfAbsent(rs.getString("vin"), k -> new TreeSet<>()).add(rs.getString("tag"));
            }
        }
        return tags;
    }

    private static Map<String, CertificateInfo> latestCertificates(Connection connection, Filter filter)
            throws SQLException {
        String sql = "SELECT c.vin, c.serial_hex, c.not_before, c.not_after FROM certificates c"
                + " JOIN vehicles v ON v.vin = c.vin WHERE " + filter.condition();
        Map<String, CertificateInfo> latest = new HashMap<>();
        try (PreparedStatement statement = prepare(connection, sql, filter);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                CertificateInfo info = new CertificateInfo(
                        rs.getString("serial_hex"), Sql.instant(rs, "not_before"), Sql.instant(rs, "not_after"));
                latest.merge(rs.getString("vin"), info, (a, b) -> ISSUE_ORDER.compare(a, b) >= 0 ? a : b);
            }
        }
        return latest;
    }

    private static PreparedStatement prepare(Connection connection, String sql, Filter filter) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        if (filter.parameter().isPresent()) {
            statement.setString(1, filter.parameter().get());
        }
        return statement;
    }
}
