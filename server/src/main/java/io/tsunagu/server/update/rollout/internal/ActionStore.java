package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.ActionStatusEntry;
import io.tsunagu.server.update.rollout.ActionType;
import io.tsunagu.server.update.rollout.UpdateAction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code update_actions} and {@code update_action_status} tables. Every state change is a conditional update
 * ({@code WHERE state IN (...)}) made after locking the row, and appends a status entry in the same transaction, so
 * the history always explains the state. Thread-safe.
 */
public final class ActionStore {
    static final String COLUMNS = "id, vin, campaign_id, group_position, distribution_id, action_type, state,"
            + " created_at, updated_at, offered_at, finished_at";

    private final RolloutSql sql;

    public ActionStore(RolloutSql sql) {
        this.sql = sql;
    }

    public Optional<UpdateAction> find(long id) {
        return sql.transaction(connection -> find(connection, id, false));
    }

    /** The action, its row locked for this transaction if {@code lock}. */
    static Optional<UpdateAction> find(Connection connection, long id, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM update_actions WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setLong(1, id);
            return rows(select).stream().findFirst();
        }
    }

    /** The car's oldest action in {@code states}. */
    public Optional<UpdateAction> oldest(Vin vin, Set<ActionState> states) {
        return sql.transaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM update_actions"
                    + " WHERE vin = ? AND state IN (" + codes(states) + ") ORDER BY id")) {
                select.setString(1, vin.value());
                select.setMaxRows(1);
                return rows(select).stream().findFirst();
            }
        });
    }

    /** The car's actions, newest first. */
    public List<UpdateAction> byVin(Vin vin, int limit) {
        return query("SELECT " + COLUMNS + " FROM update_actions WHERE vin = ? ORDER BY id DESC", limit, vin.value());
    }

    /** A campaign's actions in id order (group by group), optionally of one group. */
    public List<UpdateAction> byCampaign(long campaignId, Optional<Integer> group, int limit) {
        return sql.transaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM update_actions"
                    + " WHERE campaign_id = ?" + (group.isPresent() ? " AND group_position = ?" : "")
                    + " ORDER BY id")) {
                select.setLong(1, campaignId);
                if (group.isPresent()) {
                    select.setInt(2, group.get());
                }
                select.setMaxRows(limit);
                return rows(select);
            }
        });
    }

    /** A campaign's actions in {@code states}, in id order. */
    public List<UpdateAction> inStates(long campaignId, Set<ActionState> states) {
        return sql.transaction(connection -> inStates(connection, campaignId, states, false));
    }

    /** A campaign's actions in {@code states}, in id order, their rows locked for this transaction if {@code lock}. */
    static List<UpdateAction> inStates(Connection connection, long campaignId, Set<ActionState> states, boolean lock)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM update_actions" + " WHERE campaign_id = ? AND state IN (" + codes(states)
                        + ") ORDER BY id" + (lock ? " FOR UPDATE" : ""))) {
            select.setLong(1, campaignId);
            return rows(select);
        }
    }

    /** VINs among all cars that have an action in {@code states}. */
    static Set<Vin> vinsWithActions(Connection connection, Set<ActionState> states) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT DISTINCT vin FROM update_actions WHERE state IN (" + codes(states) + ")")) {
            Set<Vin> out = new java.util.HashSet<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    out.add(Vin.of(row.getString(1)));
                }
            }
            return out;
        }
    }

    /**
     * Moves the (locked) action to {@code to} if it is in one of {@code from}, stamping {@code offered_at} or
     * {@code finished_at}, remembering the state a cancel interrupts, and appending a status entry.
     *
     * @return the updated action, or empty if it was not in {@code from}
     */
    static Optional<UpdateAction> transition(
            Connection connection,
            UpdateAction action,
            Set<ActionState> from,
            ActionState to,
            Instant now,
            String event,
            List<String> messages)
            throws SQLException {
        String stamp = to == ActionState.OFFERED
                ? ", offered_at = ?"
                : to.isFinal()
                        ? ", finished_at = ?"
                        : to == ActionState.CANCELING ? ", state_before_cancel = state" : "";
        try (PreparedStatement update = connection.prepareStatement("UPDATE update_actions SET state = ?,"
                + " updated_at = ?" + stamp + " WHERE id = ? AND state IN (" + codes(from) + ")")) {
            update.setString(1, to.code());
            RolloutSql.setInstant(update, 2, now);
            int index = 3;
            if (stamp.contains("?")) {
                RolloutSql.setInstant(update, index++, now);
            }
            update.setLong(index, action.id());
            if (update.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        appendStatus(connection, action.id(), to, event, messages, now);
        return find(connection, action.id(), false);
    }

    /** The state a pending cancel interrupted (falls back to offered for rows written before it was recorded). */
    static ActionState stateBeforeCancel(Connection connection, long id) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT state_before_cancel FROM update_actions WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                String code = row.next() ? row.getString(1) : null;
                return code == null ? ActionState.OFFERED : ActionState.fromCode(code);
            }
        }
    }

    /** Appends a status entry to a locked action's history. */
    static void appendStatus(
            Connection connection, long id, ActionState state, String event, List<String> messages, Instant now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO update_action_status (action_id, seq,"
                + " at, state, event, messages_json) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM"
                + " update_action_status WHERE action_id = ?), ?, ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setLong(2, id);
            RolloutSql.setInstant(insert, 3, now);
            insert.setString(4, state.code());
            insert.setString(5, event);
            insert.setString(6, RolloutSql.truncate(RolloutSql.json(messages), 4000));
            insert.executeUpdate();
        }
    }

    /**
     * Moves every action of a campaign (optionally of one group) in {@code from} to {@code to}, with a status entry
     * each; for states before the car saw the action (no {@code offered_at}/{@code finished_at} semantics needed
     * beyond the final stamp).
     *
     * @return how many moved
     */
    static int moveAll(
            Connection connection,
            long campaignId,
            Optional<Integer> group,
            Set<ActionState> from,
            ActionState to,
            Instant now,
            String event)
            throws SQLException {
        String where = " WHERE campaign_id = ?" + (group.isPresent() ? " AND group_position = ?" : "")
                + " AND state IN (" + codes(from) + ")";
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select =
                connection.prepareStatement("SELECT id FROM update_actions" + where + " FOR UPDATE")) {
            bindCampaign(select, 1, campaignId, group);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ids.add(row.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE update_actions SET state = ?, updated_at = ?"
                        + (to.isFinal() ? ", finished_at = ?" : "") + where)) {
            update.setString(1, to.code());
            RolloutSql.setInstant(update, 2, now);
            int index = 3;
            if (to.isFinal()) {
                RolloutSql.setInstant(update, index++, now);
            }
            bindCampaign(update, index, campaignId, group);
            update.executeUpdate();
        }
        for (long id : ids) {
            appendStatus(connection, id, to, event, List.of(), now);
        }
        return ids.size();
    }

    private static void bindCampaign(PreparedStatement statement, int index, long campaignId, Optional<Integer> group)
            throws SQLException {
        statement.setLong(index, campaignId);
        if (group.isPresent()) {
            statement.setInt(index + 1, group.get());
        }
    }

    /** The action's status history, oldest first, at most the newest {@code limit} entries. */
    public List<ActionStatusEntry> history(long id, int limit) {
        return sql.transaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT at, state, event, messages_json FROM"
                    + " update_action_status WHERE action_id = ? ORDER BY seq DESC")) {
                select.setLong(1, id);
                select.setMaxRows(limit);
                List<ActionStatusEntry> out = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        out.add(new ActionStatusEntry(
                                RolloutSql.instant(row, "at"),
                                ActionState.fromCode(row.getString("state")),
                                row.getString("event"),
                                RolloutSql.strings(row.getString("messages_json"))));
                    }
                }
                Collections.reverse(out);
                return out;
            }
        });
    }

    private List<UpdateAction> query(String select, int limit, String arg) {
        return sql.transaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(select)) {
                statement.setString(1, arg);
                statement.setMaxRows(limit);
                return rows(statement);
            }
        });
    }

    private static List<UpdateAction> rows(PreparedStatement select) throws SQLException {
        List<UpdateAction> out = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                out.add(new UpdateAction(
                        row.getLong("id"),
                        Vin.of(row.getString("vin")),
                        row.getLong("campaign_id"),
                        row.getInt("group_position"),
                        row.getLong("distribution_id"),
                        ActionType.valueOf(row.getString("action_type").toUpperCase(java.util.Locale.ROOT)),
                        ActionState.fromCode(row.getString("state")),
                        RolloutSql.instant(row, "created_at"),
                        RolloutSql.instant(row, "updated_at"),
                        RolloutSql.optionalInstant(row, "offered_at"),
                        RolloutSql.optionalInstant(row, "finished_at")));
            }
        }
        return out;
    }

    static String codes(Set<ActionState> states) {
        return states.stream().map(s -> "'" + s.code() + "'").sorted().collect(Collectors.joining(", "));
    }
}
