package io.tsunagu.server.command.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.server.command.PairedKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code paired_keys} table: user keys each car confirmed through {@code keys.pair}, and their revocation through
 * {@code keys.revoke}. A key id names one key for good (the car refuses to pair another key under a paired or revoked
 * id), so the first pairing of an id is kept and a revoked row is never paired again. Thread-safe.
 */
public final class PairedKeyStore {
    private static final String INSERTED = "vin, key_id, public_key, command_id, paired_at";
    private static final String COLUMNS = INSERTED + ", revoked_at, revoke_command_id";

    private final DataSource dataSource;

    public PairedKeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a pairing unless the key id is already paired to the car; returns true if it was new. */
    public boolean pair(Vin vin, String keyId, String publicKey, String commandId, Instant at) {
        return CommandStore.transaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO paired_keys (" + INSERTED
                    + ") SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS"
                    + " (SELECT 1 FROM paired_keys WHERE vin = ? AND key_id = ?)")) {
                insert.setString(1, vin.value());
                insert.setString(2, keyId);
                insert.setString(3, publicKey);
                insert.setString(4, commandId);
                CommandStore.setInstant(insert, 5, at);
                insert.setString(6, vin.value());
                insert.setString(7, keyId);
                return insert.executeUpdate() == 1;
            }
        });
    }

    /**
     * Records that the car revoked a paired key; returns true if the key was paired and not yet revoked (a repeated
     * report changes nothing, so the first revocation's time and command are kept).
     */
    public boolean revoke(Vin vin, String keyId, String commandId, Instant at) {
        return CommandStore.transaction(dataSource, connection -> {
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE paired_keys SET revoked_at = ?, revoke_command_id = ?"
                            + " WHERE vin = ? AND key_id = ? AND revoked_at IS NULL")) {
                CommandStore.setInstant(update, 1, at);
                update.setString(2, commandId);
                update.setString(3, vin.value());
                update.setString(4, keyId);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** True while the car has at least one paired key that is not revoked. */
    public boolean hasActive(Vin vin) {
        return CommandStore.transaction(dataSource, connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT 1 FROM paired_keys WHERE vin = ? AND revoked_at IS NULL")) {
                select.setMaxRows(1);
                select.setString(1, vin.value());
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }

    public Optional<PairedKey> find(Vin vin, String keyId) {
        return select("SELECT " + COLUMNS + " FROM paired_keys WHERE vin = ? AND key_id = ?", vin.value(), keyId)
                .stream()
                .findFirst();
    }

    /** The car's paired keys, revoked ones included, oldest pairing first. */
    public List<PairedKey> list(Vin vin) {
        return select("SELECT " + COLUMNS + " FROM paired_keys WHERE vin = ? ORDER BY paired_at, key_id", vin.value());
    }

    private List<PairedKey> select(String sql, String... args) {
        return CommandStore.transaction(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    select.setString(i + 1, args[i]);
                }
                List<PairedKey> out = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        String publicKey = row.getString("public_key");
                        out.add(new PairedKey(
                                Vin.of(row.getString("vin")),
                                row.getString("key_id"),
                                publicKey,
                                CommandKeys.signatureAlgorithm(CommandKeys.decode(publicKey)),
                                row.getString("command_id"),
                                CommandStore.instant(row, "paired_at").orElseThrow(),
                                CommandStore.instant(row, "revoked_at"),
                                Optional.ofNullable(row.getString("revoke_command_id"))));
                    }
                }
                return out;
            }
        });
    }
}
