package io.tsunagu.server.command.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.Command;
import io.tsunagu.server.command.CommandState;
import io.tsunagu.server.metadata.MetadataException;
import io.tsunagu.server.metadata.SqlTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The {@code commands} and {@code command_counters} tables. Every state change is a conditional update ({@code WHERE
 * state IN (...)}), so concurrent writers (the car's result, a cancel, the expiry sweep, another node) never move a
 * command out of a state it has already left. Thread-safe.
 */
public final class CommandStore {
    static final String COLUMNS = "id, vin, seq, action, params_json, state, reason, message, requested_by, key_id,"
            + " key_counter, attempts, created_at, expires_at, sent_at, delivered_at, finished_at";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> PARAMS = new TypeReference<>() {};
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public CommandStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A command as first stored; {@code counters} are allocated inside the insert's transaction. */
    public record NewCommand(
            String id,
            Vin vin,
            String action,
            Map<String, String> params,
            String requestedBy,
            Optional<String> idempotencyKey,
            String requestSha256,
            String keyId,
            Instant createdAt,
            Instant expiresAt) {}

    /** The counters a new command gets: its place in the car's order and its signing key's counter. */
    public record Counters(long seq, long keyCounter) {}

    /** Builds the signed envelope once the counters are known. */
    @FunctionalInterface
    public interface Envelope {
        byte[] sign(Counters counters);
    }

    /** A command waiting for delivery, with its envelope. */
    public record Pending(Command command, byte[] envelope) {}

    /** Stores a new command, allocating its counters and signing it in the same transaction. */
    public Command insert(NewCommand command, Envelope envelope) {
        return run(connection -> {
            long keyCounter = next(connection, "key:" + command.keyId());
            long seq = next(connection, "seq:" + command.vin().value());
            return insertRow(connection, command, seq, keyCounter, envelope.sign(new Counters(seq, keyCounter)));
        });
    }

    /**
     * Stores a new command whose envelope a user signed on their own device: only the car's order is allocated; the
     * key counter is the one inside the signed body (the server does not sign, so it cannot choose the counter).
     */
    public Command insertSigned(NewCommand command, long keyCounter, byte[] envelope) {
        return run(connection -> {
            long seq = next(connection, "seq:" + command.vin().value());
            return insertRow(connection, command, seq, keyCounter, envelope);
        });
    }

    /** The highest key counter stored for a key's commands to one car, or -1 if none. */
    public long lastKeyCounter(Vin vin, String keyId) {
        return run(connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT MAX(key_counter) FROM commands WHERE vin = ? AND key_id = ?")) {
                select.setString(1, vin.value());
                select.setString(2, keyId);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    long max = row.getLong(1);
                    return row.wasNull() ? -1L : max;
                }
            }
        });
    }

    private static Command insertRow(
            Connection connection, NewCommand command, long seq, long keyCounter, byte[] envelope) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO commands (id, vin, seq, action,"
                + " params_json, state, key_id, key_counter, envelope, requested_by, idempotency_key,"
                + " request_sha256, attempts, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
            insert.setString(1, command.id());
            insert.setString(2, command.vin().value());
            insert.setLong(3, seq);
            insert.setString(4, command.action());
            insert.setString(5, json(command.params()));
            insert.setString(6, command.keyId());
            insert.setLong(7, keyCounter);
            insert.setBytes(8, envelope);
            insert.setString(9, command.requestedBy());
            setOptional(insert, 10, command.idempotencyKey());
            insert.setString(11, command.requestSha256());
            setInstant(insert, 12, command.createdAt());
            setInstant(insert, 13, command.expiresAt());
            insert.executeUpdate();
        }
        return find(connection, command.id()).orElseThrow();
    }

    /** True if the exception is a unique-key violation (an idempotency key used twice concurrently). */
    public static boolean isDuplicate(RuntimeException e) {
        return e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
    }

    public Optional<Command> find(String id) {
        return run(connection -> find(connection, id));
    }

    /** The command stored under a caller's idempotency key, with the hash of the request that created it. */
    public Optional<Map.Entry<Command, String>> findByIdempotencyKey(String requestedBy, String key) {
        return run(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + ", request_sha256 FROM"
                    + " commands WHERE requested_by = ? AND idempotency_key = ?")) {
                select.setString(1, requestedBy);
                select.setString(2, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(Map.entry(command(row), row.getString("request_sha256")))
                            : Optional.empty();
                }
            }
        });
    }

    /** The car's newest commands first. */
    public List<Command> list(Vin vin, int limit) {
        return query("SELECT " + COLUMNS + " FROM commands WHERE vin = ? ORDER BY seq DESC", limit, vin.value());
    }

    /** The car's commands in {@code states}, in delivery order, with their envelopes. */
    public List<Pending> pending(Vin vin, Set<CommandState> states) {
        return run(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + ", envelope FROM commands"
                    + " WHERE vin = ? AND state IN (" + codes(states) + ") ORDER BY seq")) {
                select.setString(1, vin.value());
                List<Pending> out = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        out.add(new Pending(command(row), row.getBytes("envelope")));
                    }
                }
                return out;
            }
        });
    }

    /** Commands in {@code states} whose expiry is at or before {@code now}. */
    public List<Command> expiredBy(Instant now, Set<CommandState> states) {
        return run(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM commands"
                    + " WHERE state IN (" + codes(states) + ") AND expires_at <= ? ORDER BY seq")) {
                setInstant(select, 1, now);
                return rows(select, Integer.MAX_VALUE);
            }
        });
    }

    /** Every command in {@code states} (server start: restore twin intents, find cars with queued work). */
    public List<Command> inStates(Set<CommandState> states) {
        return query(
                "SELECT " + COLUMNS + " FROM commands WHERE state IN (" + codes(states) + ") ORDER BY seq",
                Integer.MAX_VALUE);
    }

    /**
     * Moves a command to {@code to} if it is in one of {@code from}, stamping the state's timestamp ({@code sent_at}
     * for sent, which also counts an attempt; {@code delivered_at} for delivered; {@code finished_at} for final states,
     * plus {@code delivered_at} if the car skipped reporting delivery).
     *
     * @return the updated command, or empty if it was not in {@code from} (or does not exist)
     */
    public Optional<Command> transition(
            String id,
            Set<CommandState> from,
            CommandState to,
            Instant at,
            Optional<String> reason,
            Optional<String> message) {
        String stamp = switch (to) {
            case QUEUED -> throw new IllegalArgumentException("no transition back to queued");
            case SENT -> "sent_at = ?, attempts = attempts + 1";
            case DELIVERED -> "delivered_at = COALESCE(delivered_at, ?)";
            case EXECUTED, FAILED -> "finished_at = ?, delivered_at = COALESCE(delivered_at, ?)";
            case REFUSED, EXPIRED, CANCELLED -> "finished_at = ?";
        };
        return run(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE commands SET state = ?, reason = ?,"
                    + " message = ?, " + stamp + " WHERE id = ? AND state IN (" + codes(from) + ")")) {
                update.setString(1, to.code());
                setOptional(update, 2, reason.map(r -> truncate(r, 100)));
                setOptional(update, 3, message.map(m -> truncate(m, 1000)));
                int index = 4;
                for (int i = 0; i < stamp.chars().filter(c -> c == '?').count(); i++) {
                    setInstant(update, index++, at);
                }
                update.setString(index, id);
                return update.executeUpdate() == 1 ? find(connection, id) : Optional.<Command>empty();
            }
        });
    }

    private static Optional<Command> find(Connection connection, String id) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT " + COLUMNS + " FROM commands WHERE id = ?")) {
            select.setString(1, id);
            return rows(select, 1).stream().findFirst();
        }
    }

    private List<Command> query(String sql, int limit, String... args) {
        return run(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    select.setString(i + 1, args[i]);
                }
                return rows(select, limit);
            }
        });
    }

    private static List<Command> rows(PreparedStatement select, int limit) throws SQLException {
        select.setMaxRows(limit == Integer.MAX_VALUE ? 0 : limit);
        List<Command> out = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next() && out.size() < limit) {
                out.add(command(row));
            }
        }
        return out;
    }

    /** Increments the named counter, creating it at 1; the row lock orders concurrent transactions. */
    private static long next(Connection connection, String name) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE command_counters SET last_value = last_value + 1 WHERE name = ?")) {
            update.setString(1, name);
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO command_counters (name, last_value) VALUES (?, 1)")) {
                    insert.setString(1, name);
                    insert.executeUpdate();
                }
                return 1;
            }
        }
        try (PreparedStatement select =
                connection.prepareStatement("SELECT last_value FROM command_counters WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    static Command command(ResultSet row) throws SQLException {
        return new Command(
                row.getString("id"),
                Vin.of(row.getString("vin")),
                row.getLong("seq"),
                row.getString("action"),
                params(row.getString("params_json")),
                CommandState.fromCode(row.getString("state")),
                Optional.ofNullable(row.getString("reason")),
                Optional.ofNullable(row.getString("message")),
                row.getString("requested_by"),
                row.getString("key_id"),
                row.getLong("key_counter"),
                row.getInt("attempts"),
                instant(row, "created_at").orElseThrow(),
                instant(row, "expires_at").orElseThrow(),
                instant(row, "sent_at"),
                instant(row, "delivered_at"),
                instant(row, "finished_at"));
    }

    /** Parameters as stored: a JSON object of strings. */
    public static String json(Map<String, String> params) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(params));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render parameters", e);
        }
    }

    public static Map<String, String> params(String json) {
        try {
            return JSON.readValue(json, PARAMS);
        } catch (JsonProcessingException e) {
            throw new MetadataException("stored command parameters are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String codes(Set<CommandState> states) {
        return states.stream().map(s -> "'" + s.code() + "'").sorted().collect(Collectors.joining(", "));
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
    }

    static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
        return Optional.ofNullable(row.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    static void setOptional(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    /** Runs {@code work} in one transaction of the metadata database. */
    <T> T run(SqlTransaction.Work<T> work) {
        return transaction(dataSource, work);
    }

    static <T> T transaction(DataSource dataSource, SqlTransaction.Work<T> work) {
        try {
            return SqlTransaction.run(dataSource, work);
        } catch (SQLException e) {
            throw new MetadataException("command store: " + e.getMessage(), e);
        }
    }
}
