package io.tsunagu.server.update.rollout.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.ActionType;
import io.tsunagu.server.update.rollout.Campaign;
import io.tsunagu.server.update.rollout.CampaignGroup;
import io.tsunagu.server.update.rollout.CampaignState;
import io.tsunagu.server.update.rollout.GroupState;
import io.tsunagu.server.update.rollout.MaintenanceWindow;
import io.tsunagu.server.update.rollout.ParkedGate;
import io.tsunagu.server.update.rollout.TargetQuery;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code campaigns} and {@code campaign_groups} tables, and the creation of a campaign's actions. State changes
 * happen under the campaign row's lock ({@link #lock}), which serialises every evaluation of one campaign across
 * threads and server nodes. Thread-safe.
 */
public final class CampaignStore {
    private static final String COLUMNS = "id, name, distribution_id, state, reason, action_type, target_json,"
            + " window_schedule, window_duration_ms, window_zone, gate_min_soc_pct, created_by, created_at,"
            + " started_at, finished_at";

    private final RolloutSql sql;

    public CampaignStore(RolloutSql sql) {
        this.sql = sql;
    }

    /** A validated campaign: its settings and its cars, already split into groups. */
    public record NewCampaign(
            String name,
            long distributionId,
            TargetQuery target,
            ActionType type,
            Optional<MaintenanceWindow> window,
            Optional<ParkedGate> gate,
            String createdBy,
            List<NewGroup> groups) {}

    /** A group's thresholds and cars. */
    public record NewGroup(int successThresholdPct, int errorThresholdPct, List<Vin> vins) {}

    /** Stores the campaign, its groups and a {@code scheduled} action per car, in one transaction. */
    public long insert(NewCampaign c, Instant now) {
        return sql.transaction(connection -> {
            long id = RolloutSql.allocate(connection, "campaign", 1);
            insertCampaign(connection, id, c, now);
            int cars = c.groups().stream().mapToInt(g -> g.vins().size()).sum();
            long actionId = RolloutSql.allocate(connection, "action", cars);
            for (int g = 0; g < c.groups().size(); g++) {
                insertGroup(connection, id, g + 1, c.groups().get(g));
                actionId = insertActions(connection, id, g + 1, c, actionId, now);
            }
            return id;
        });
    }

    public Optional<Campaign> find(long id) {
        return sql.transaction(connection -> find(connection, id));
    }

    /** Campaigns newest first, at most {@code limit}. */
    public List<Campaign> list(int limit) {
        return sql.transaction(connection -> {
            List<Campaign> out = new ArrayList<>();
            for (long id : ids(connection, "SELECT id FROM campaigns ORDER BY id DESC", limit)) {
                find(connection, id).ifPresent(out::add);
            }
            return out;
        });
    }

    /** Ids of the campaigns in {@code states}, oldest first. */
    public List<Long> idsInStates(Set<CampaignState> states) {
        StringBuilder in = new StringBuilder();
        for (CampaignState s : new TreeSet<>(states)) {
            in.append(in.isEmpty() ? "" : ", ").append('\'').append(s.code()).append('\'');
        }
        return sql.transaction(
                connection -> ids(connection, "SELECT id FROM campaigns WHERE state IN (" + in + ") ORDER BY id", 0));
    }

    static Optional<Campaign> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT " + COLUMNS + " FROM campaigns WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(campaign(row, groups(connection, id))) : Optional.empty();
            }
        }
    }

    /** Locks the campaign row for this transaction and returns its state; empty if there is no such campaign. */
    static Optional<CampaignState> lock(Connection connection, long id) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT state FROM campaigns WHERE id = ? FOR UPDATE")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(CampaignState.fromCode(row.getString(1))) : Optional.empty();
            }
        }
    }

    /** Sets the (locked) campaign's state, stamping {@code started_at} once and {@code finished_at} on final states. */
    static void setState(Connection connection, long id, CampaignState state, Optional<String> reason, Instant now)
            throws SQLException {
        boolean ends =
                state == CampaignState.FINISHED || state == CampaignState.HALTED || state == CampaignState.CANCELLED;
        try (PreparedStatement update = connection.prepareStatement("UPDATE campaigns SET state = ?,"
                + " reason = COALESCE(?, reason), started_at = COALESCE(started_at, ?)"
                + (ends ? ", finished_at = ?" : "") + " WHERE id = ?")) {
            update.setString(1, state.code());
            RolloutSql.setOptional(update, 2, reason);
            if (state == CampaignState.CREATED) {
                update.setNull(3, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                RolloutSql.setInstant(update, 3, now);
            }
            int index = 4;
            if (ends) {
                RolloutSql.setInstant(update, index++, now);
            }
            update.setLong(index, id);
            update.executeUpdate();
        }
    }

    /** Sets a group's state, stamping {@code started_at} when it starts and {@code finished_at} when it ends. */
    static void setGroupState(Connection connection, long id, int position, GroupState state, Instant now)
            throws SQLException {
        String stamp = state == GroupState.RUNNING ? "started_at" : "finished_at";
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE campaign_groups SET state = ?, " + stamp + " = ? WHERE campaign_id = ? AND position = ?")) {
            update.setString(1, state.code());
            RolloutSql.setInstant(update, 2, now);
            update.setLong(3, id);
            update.setInt(4, position);
            update.executeUpdate();
        }
    }

    private static List<CampaignGroup> groups(Connection connection, long id) throws SQLException {
        Map<Integer, Map<ActionState, Integer>> counts = counts(connection, id);
        List<CampaignGroup> out = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT position, target_count,"
                + " success_threshold_pct, error_threshold_pct, state, started_at, finished_at FROM campaign_groups"
                + " WHERE campaign_id = ? ORDER BY position")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    int position = row.getInt("position");
                    out.add(new CampaignGroup(
                            position,
                            row.getInt("target_count"),
                            row.getInt("success_threshold_pct"),
                            row.getInt("error_threshold_pct"),
                            GroupState.fromCode(row.getString("state")),
                            RolloutSql.optionalInstant(row, "started_at"),
                            RolloutSql.optionalInstant(row, "finished_at"),
                            counts.getOrDefault(position, Map.of())));
                }
            }
        }
        return out;
    }

    private static Map<Integer, Map<ActionState, Integer>> counts(Connection connection, long id) throws SQLException {
        Map<Integer, Map<ActionState, Integer>> out = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT group_position, state, COUNT(*) FROM"
                + " update_actions WHERE campaign_id = ? GROUP BY group_position, state")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    out.computeIfAbsent(row.getInt(1), p -> new EnumMap<>(ActionState.class))
                            .put(ActionState.fromCode(row.getString(2)), row.getInt(3));
                }
            }
        }
        return out;
    }

    private static Campaign campaign(ResultSet row, List<CampaignGroup> groups) throws SQLException {
        return new Campaign(
                row.getLong("id"),
                row.getString("name"),
                row.getLong("distribution_id"),
                CampaignState.fromCode(row.getString("state")),
                Optional.ofNullable(row.getString("reason")),
                ActionType.valueOf(row.getString("action_type").toUpperCase(Locale.ROOT)),
                target(row.getString("target_json")),
                window(row),
                RolloutSql.optionalInt(row, "gate_min_soc_pct").map(ParkedGate::new),
                row.getString("created_by"),
                RolloutSql.instant(row, "created_at"),
                RolloutSql.optionalInstant(row, "started_at"),
                RolloutSql.optionalInstant(row, "finished_at"),
                groups);
    }

    private static Optional<MaintenanceWindow> window(ResultSet row) throws SQLException {
        String schedule = row.getString("window_schedule");
        if (schedule == null) {
            return Optional.empty();
        }
        return Optional.of(new MaintenanceWindow(
                schedule,
                Duration.ofMillis(row.getLong("window_duration_ms")),
                ZoneId.of(row.getString("window_zone"))));
    }

    static String targetJson(TargetQuery target) {
        ObjectNode node = RolloutSql.mapper().createObjectNode();
        target.model().ifPresent(m -> node.put("model", m));
        target.tags().stream().sorted().forEach(node.putArray("tags")::add);
        var versions = node.putArray("currentVersions");
        target.currentVersions().stream().sorted().forEach(versions::add);
        return node.toString();
    }

    private static TargetQuery target(String json) {
        try {
            JsonNode node = RolloutSql.mapper().readTree(json);
            Set<String> tags = new TreeSet<>();
            node.path("tags").forEach(t -> tags.add(t.asText()));
            Set<String> versions = new TreeSet<>();
            node.path("currentVersions").forEach(v -> versions.add(v.asText()));
            return new TargetQuery(
                    node.hasNonNull("model") ? Optional.of(node.get("model").asText()) : Optional.empty(),
                    tags,
                    versions);
        } catch (IOException e) {
            throw new IllegalStateException("stored campaign target is not JSON", e);
        }
    }

    private static void insertCampaign(Connection connection, long id, NewCampaign c, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO campaigns (id, name,"
                + " distribution_id, state, action_type, target_json, window_schedule, window_duration_ms, window_zone,"
                + " gate_min_soc_pct, created_by, created_at) VALUES (?, ?, ?, 'created', ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setString(2, c.name());
            insert.setLong(3, c.distributionId());
            insert.setString(4, c.type().code());
            insert.setString(5, targetJson(c.target()));
            RolloutSql.setOptional(insert, 6, c.window().map(MaintenanceWindow::schedule));
            if (c.window().isPresent()) {
                insert.setLong(7, c.window().get().duration().toMillis());
            } else {
                insert.setNull(7, Types.BIGINT);
            }
            RolloutSql.setOptional(insert, 8, c.window().map(w -> w.zone().getId()));
            if (c.gate().isPresent()) {
                insert.setInt(9, c.gate().get().minStateOfChargePct());
            } else {
                insert.setNull(9, Types.INTEGER);
            }
            insert.setString(10, c.createdBy());
            RolloutSql.setInstant(insert, 11, now);
            insert.executeUpdate();
        }
    }

    private static void insertGroup(Connection connection, long id, int position, NewGroup group) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO campaign_groups (campaign_id,"
                + " position, target_count, success_threshold_pct, error_threshold_pct, state)"
                + " VALUES (?, ?, ?, ?, ?, 'scheduled')")) {
            insert.setLong(1, id);
            insert.setInt(2, position);
            insert.setInt(3, group.vins().size());
            insert.setInt(4, group.successThresholdPct());
            insert.setInt(5, group.errorThresholdPct());
            insert.executeUpdate();
        }
    }

    /** Inserts the group's actions with ids from {@code firstId}; returns the next free id. */
    private static long insertActions(
            Connection connection, long campaignId, int position, NewCampaign c, long firstId, Instant now)
            throws SQLException {
        long next = firstId;
        try (PreparedStatement action = connection.prepareStatement("INSERT INTO update_actions (id, vin,"
                        + " campaign_id, group_position, distribution_id, action_type, state, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?, ?)");
                PreparedStatement status = connection.prepareStatement("INSERT INTO update_action_status (action_id,"
                        + " seq, at, state, event, messages_json) VALUES (?, 1, ?, 'scheduled', 'created', ?)")) {
            String note = RolloutSql.json(List.of("campaign " + campaignId + ", group " + position));
            for (Vin vin : c.groups().get(position - 1).vins()) {
                action.setLong(1, next);
                action.setString(2, vin.value());
                action.setLong(3, campaignId);
                action.setInt(4, position);
                action.setLong(5, c.distributionId());
                action.setString(6, c.type().code());
                RolloutSql.setInstant(action, 7, now);
                RolloutSql.setInstant(action, 8, now);
                action.addBatch();
                status.setLong(1, next);
                RolloutSql.setInstant(status, 2, now);
                status.setString(3, note);
                status.addBatch();
                next++;
            }
            action.executeBatch();
            status.executeBatch();
        }
        return next;
    }

    private static List<Long> ids(Connection connection, String select, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setMaxRows(limit);
            List<Long> out = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    out.add(row.getLong(1));
                }
            }
            return out;
        }
    }
}
