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
 * The {@code paired_keys} table: user keys each car confirmed through {@code keys.pair}. A key id names one key for
 * good (the car refuses to pair another key under a paired id), so the first pairing of an id is kept. Thread-safe.
 */
public final class PairedKeyStore {
    private static final String COLUMNS = "vin, key_id, public_key, command_id, paired_at";

    private final DataSource dataSource;

    public PairedKeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a pairing unless the key id is already paired to the car; returns true if it was new. */
    public boolean pair(Vin vin, String keyId, String publicKey, String commandId, Instant at) {
        return CommandStore.transaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO paired_keys (" + COLUMNS
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

    public Optional<PairedKey> find(Vin vin, String keyId) {
        return select("SELECT " + COLUMNS + " FROM paired_keys WHERE vin = ? AND key_id = ?", vin.value(), keyId)
                .stream()
                .findFirst();
    }

    /** The car's paired keys, oldest pairing first. */
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
                                CommandStore.instant(row, "paired_at").orElseThrow()));
                    }
                }
                return out;
            }
        });
    }
}
