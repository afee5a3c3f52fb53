package io.tsunagu.server.update.ddi;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.internal.SecureFiles;
import io.tsunagu.server.fleet.internal.Sql;
import io.tsunagu.server.metadata.SqlTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * hawkBit's two DDI security tokens. A <b>target token</b> ({@code Authorization: TargetToken <token>}) belongs to one
 * car and lets it act only as itself; table {@code ddi_target_tokens} keeps its SHA-256, never the token. The
 * <b>gateway token</b> ({@code Authorization: GatewayToken <token>}) is one tenant-wide secret that may act for every
 * car (hawkBit's gateway, e.g. a fleet depot updater); it is created on first start and kept in a file with mode
 * 0600, like the admin token. Tokens are {@code ddi_} plus 256 random bits in unpadded base64url. Thread-safe.
 */
public final class DdiTokens {
    private static final Logger LOG = LoggerFactory.getLogger(DdiTokens.class);
    public static final String TOKEN_PREFIX = "ddi_";
    private static final int TOKEN_BYTES = 32;

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final byte[] gatewayTokenHash;

    private DdiTokens(DataSource dataSource, Clock clock, String gatewayToken) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.gatewayTokenHash = sha256(gatewayToken);
    }

    /**
     * Opens the token store; the gateway token is read from {@code gatewayTokenFile}, or created there (0600) if the
     * file is missing or empty.
     */
    public static DdiTokens open(DataSource dataSource, Clock clock, Path gatewayTokenFile) {
        return new DdiTokens(dataSource, clock, ensureGatewayToken(gatewayTokenFile));
    }

    /**
     * Creates the car's target token, replacing any earlier one (which stops working at once); the token is returned
     * only here.
     *
     * @throws DdiException {@code vehicle_not_found} if no unrevoked car has this VIN
     */
    public String createTargetToken(Vin vin, String createdBy) {
        String token = newToken();
        try {
            SqlTransaction.run(dataSource, connection -> {
                requireActiveVehicle(connection, vin);
                try (PreparedStatement delete =
                                connection.prepareStatement("DELETE FROM ddi_target_tokens WHERE vin = ?");
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO ddi_target_tokens"
                                + " (vin, token_sha256, created_by, created_at) VALUES (?, ?, ?, ?)")) {
                    delete.setString(1, vin.value());
                    delete.executeUpdate();
                    insert.setString(1, vin.value());
                    insert.setString(2, HexFormat.of().formatHex(sha256(token)));
                    insert.setString(3, createdBy);
                    Sql.setInstant(insert, 4, clock.instant().truncatedTo(ChronoUnit.MILLIS));
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw DdiException.storage("creating the DDI target token of " + vin, e);
        }
        LOG.info("[{}] DDI target token created by {}", vin, createdBy);
        return token;
    }

    /** Revokes the car's target token; false if it had none. */
    public boolean revokeTargetToken(Vin vin) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM ddi_target_tokens WHERE vin = ?")) {
            delete.setString(1, vin.value());
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw DdiException.storage("revoking the DDI target token of " + vin, e);
        }
    }

    /** The car a target token belongs to; empty for an unknown token or a revoked car. */
    public Optional<Vin> authenticateTarget(String token) {
        if (!token.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        String hash = HexFormat.of().formatHex(sha256(token));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT t.vin, t.token_sha256"
                        + " FROM ddi_target_tokens t JOIN vehicles v ON v.vin = t.vin"
                        + " WHERE t.token_sha256 = ? AND v.revoked_at IS NULL")) {
            select.setString(1, hash);
            try (ResultSet row = select.executeQuery()) {
                // The index lookup leaks timing only about the hash; compare once more in constant time.
                if (row.next() && MessageDigest.isEqual(ascii(hash), ascii(row.getString("token_sha256")))) {
                    return Optional.of(Vin.of(row.getString("vin")));
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw DdiException.storage("authenticating a DDI target token", e);
        }
    }

    /** True if {@code token} is the tenant's gateway token (constant-time comparison). */
    public boolean isGatewayToken(String token) {
        return MessageDigest.isEqual(gatewayTokenHash, sha256(token));
    }

    private static void requireActiveVehicle(Connection connection, Vin vin) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT 1 FROM vehicles WHERE vin = ? AND revoked_at IS NULL")) {
            select.setString(1, vin.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new DdiException(DdiException.VEHICLE_NOT_FOUND, "vehicle " + vin + " not found");
                }
            }
        }
    }

    private static String ensureGatewayToken(Path file) {
        try {
            if (Files.exists(file)) {
                String stored =
                        Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (!stored.isEmpty()) {
                    return stored;
                }
            }
            String token = newToken(new SecureRandom());
            SecureFiles.writeSecret(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
            LOG.info("DDI gateway token written to {}", file);
            return token;
        } catch (IOException e) {
            throw DdiException.storage("reading or writing the DDI gateway token file " + file, e);
        }
    }

    private String newToken() {
        return newToken(random);
    }

    private static String newToken(SecureRandom random) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
