package io.tsunagu.server.update.ddi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * SHA-1 and MD5 of stored artifacts, which DDI clients expect next to SHA-256 (the artifact store addresses content by
 * SHA-256 only). Computed on first use by reading the artifact once, then kept in table {@code ddi_artifact_hashes}
 * and in memory; content-addressed artifacts never change, so neither do their hashes. SHA-1 and MD5 serve only
 * clients' integrity checks here, never security (the artifact's SHA-256 and, for Tsunagu's own agent, Uptane
 * metadata do that). Thread-safe; two first uses at once may both compute, which is harmless.
 */
public final class DdiArtifactHashes {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** Where the bytes of an artifact come from. */
    @FunctionalInterface
    public interface Content {
        /** Opens the whole content of the artifact with this SHA-256. */
        InputStream open(String sha256) throws IOException;
    }

    private final DataSource dataSource;
    private final Content content;
    private final Map<String, DdiArtifactHash> cache = new ConcurrentHashMap<>();

    public DdiArtifactHashes(DataSource dataSource, Content content) {
        this.dataSource = dataSource;
        this.content = content;
    }

    /** The three hashes of the artifact with this SHA-256 (64 lower-case hex digits). */
    public DdiArtifactHash of(String sha256) {
        DdiArtifactHash cached = cache.get(sha256);
        if (cached != null) {
            return cached;
        }
        DdiArtifactHash hashes = stored(sha256).orElseGet(() -> store(compute(sha256)));
        cache.put(sha256, hashes);
        return hashes;
    }

    private Optional<DdiArtifactHash> stored(String sha256) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT sha1, md5 FROM ddi_artifact_hashes WHERE sha256 = ?")) {
            select.setString(1, sha256);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new DdiArtifactHash(row.getString("sha1"), row.getString("md5"), sha256))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw DdiException.storage("reading the hashes of artifact " + sha256, e);
        }
    }

    private DdiArtifactHash store(DdiArtifactHash hashes) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO ddi_artifact_hashes (sha256, sha1, md5) VALUES (?, ?, ?)")) {
            insert.setString(1, hashes.sha256());
            insert.setString(2, hashes.sha1());
            insert.setString(3, hashes.md5());
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) { // another request stored them first: same values
                throw DdiException.storage("storing the hashes of artifact " + hashes.sha256(), e);
            }
        }
        return hashes;
    }

    private DdiArtifactHash compute(String sha256) {
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest md5 = digest("MD5");
        try (InputStream in = new DigestInputStream(new DigestInputStream(content.open(sha256), sha1), md5)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            while (in.read(buffer) >= 0) {
                // reading feeds both digests
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + sha256 + " to hash it", e);
        }
        HexFormat hex = HexFormat.of();
        return new DdiArtifactHash(hex.formatHex(sha1.digest()), hex.formatHex(md5.digest()), sha256);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides " + algorithm, e);
        }
    }
}
