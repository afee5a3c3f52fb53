package io.tsunagu.server.fleet;

import io.tsunagu.server.fleet.internal.SecureFiles;
import io.tsunagu.server.fleet.internal.Sql;
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
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST API users with bearer tokens, in table {@code api_users}. A token is {@code tsu_} followed by 256 random bits in
 * unpadded base64url; only its SHA-256 hash is stored, so a database leak reveals no usable token. A verified token is
 * trusted for {@value VerifiedTokens#TTL_MS} ms without another lookup ({@link VerifiedTokens}): a rotation through
 * this instance takes effect at once, one made elsewhere (another node) within that time. Thread-safe.
 */
public final class ApiUsers {
    private static final Logger LOG = LoggerFactory.getLogger(ApiUsers.class);
    public static final String TOKEN_PREFIX = "tsu_";
    public static final String ADMIN = "admin";
    /** User names double as vehicle owner names, so they are kept simple: letters, digits and {@code . _ @ -}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private static final int TOKEN_BYTES = 32;
    /** Never used itself, only cloned: a fresh digest per call, so threads never share one. */
    private static final MessageDigest SHA_256 = sha256();

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final VerifiedTokens verified;

    public ApiUsers(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.verified = new VerifiedTokens(clock);
    }

    /**
     * Creates a user and returns it with its token, which is shown only here.
     *
     * @throws FleetException {@code user_exists} or {@code invalid_user}
     */
    public CreatedUser create(String name, Role role) {
        validateName(name);
        String token = newToken();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO api_users (name, role, token_sha256, created_at) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, name);
            statement.setString(2, role.dbValue());
            statement.setString(3, sha256Hex(token));
            Sql.setInstant(statement, 4, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            statement.executeUpdate();
        } catch (SQLException e) {
            if (Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new FleetException(FleetException.USER_EXISTS, "user '" + name + "' already exists");
            }
            throw FleetException.storage("creating user " + name, e);
        }
        LOG.info("Created API user {} with role {}", name, role);
        return new CreatedUser(new Principal(name, role), token);
    }

    /** The user a bearer token belongs to; empty for an unknown or malformed token. */
    public Optional<Principal> authenticate(String bearerToken) {
        if (!bearerToken.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        byte[] digest = sha256(bearerToken);
        // The cache key is the raw digest as a Latin-1 string: no hex formatting on the hit path of every request.
        String key = new String(digest, StandardCharsets.ISO_8859_1);
        Principal known = verified.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        long stamp = verified.stamp();
        Optional<Principal> principal = lookUp(HexFormat.of().formatHex(digest));
        principal.ifPresent(p -> verified.remember(key, p, stamp));
        return principal;
    }

    private Optional<Principal> lookUp(String hash) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT name, role, token_sha256 FROM api_users WHERE token_sha256 = ?")) {
            statement.setString(1, hash);
            try (ResultSet rs = statement.executeQuery()) {
                // The index lookup leaks timing only about the hash, not the token; compare once more in constant time.
                if (rs.next() && constantTimeEquals(hash, rs.getString("token_sha256"))) {
                    return Optional.of(new Principal(rs.getString("name"), Role.fromDb(rs.getString("role"))));
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw FleetException.storage("authenticating a token", e);
        }
    }

    /** The user with this name, if any. */
    public Optional<Principal> find(String name) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT role FROM api_users WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Principal(name, Role.fromDb(rs.getString("role"))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw FleetException.storage("finding user " + name, e);
        }
    }

    /**
     * Replaces a user's token; the old one stops working at once.
     *
     * @throws FleetException {@code user_not_found}
     */
    public String rotateToken(String name) {
        String token = newToken();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("UPDATE api_users SET token_sha256 = ? WHERE name = ?")) {
            statement.setString(1, sha256Hex(token));
            statement.setString(2, name);
            if (statement.executeUpdate() == 0) {
                throw new FleetException(FleetException.USER_NOT_FOUND, "user '" + name + "' does not exist");
            }
        } catch (SQLException e) {
            throw FleetException.storage("rotating the token of user " + name, e);
        } finally {
            verified.forget(name); // also on failure: the update may have committed before the error
        }
        LOG.info("Rotated the token of API user {}", name);
        return token;
    }

    /**
     * Makes sure the {@value #ADMIN} user exists and its token is in {@code tokenFile} (0600), and returns the token.
     * First start: creates the user and writes the file. Later starts: reads the file. If the file is missing or its
     * token no longer authenticates as admin, the admin token is rotated (created if needed) and the file rewritten.
     */
    public String ensureAdmin(Path tokenFile) {
        Optional<String> stored = readToken(tokenFile);
        if (stored.isPresent()
                && authenticate(stored.get())
                        .filter(p -> p.name().equals(ADMIN) && p.role() == Role.ADMIN)
                        .isPresent()) {
            return stored.get();
        }
        String token = find(ADMIN).isPresent()
                ? rotateToken(ADMIN)
                : create(ADMIN, Role.ADMIN).token();
        try {
            SecureFiles.writeSecret(tokenFile, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new FleetException(
                    FleetException.STORAGE_FAILED,
                    "cannot write admin token file " + tokenFile + ": " + e.getMessage(),
                    true,
                    e);
        }
        LOG.info("Admin token written to {}", tokenFile);
        return token;
    }

    private static Optional<String> readToken(Path tokenFile) {
        if (!Files.exists(tokenFile)) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    Files.readString(tokenFile, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            LOG.warn("Cannot read admin token file {} ({}); rotating the admin token", tokenFile, e.getMessage());
            return Optional.empty();
        }
    }

    private static void validateName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new FleetException(
                    FleetException.INVALID_USER,
                    "user name '" + name + "' is invalid: 1-128 characters from A-Z a-z 0-9 . _ @ -");
        }
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone(); // cheaper than getInstance's provider lookup, on every request
        } catch (CloneNotSupportedException e) {
            digest = sha256();
        }
        return digest.digest(token.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
