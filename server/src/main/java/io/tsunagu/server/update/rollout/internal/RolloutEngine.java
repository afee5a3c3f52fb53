package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.Campaign;
import io.tsunagu.server.update.rollout.CampaignState;
import io.tsunagu.server.update.rollout.GroupState;
import io.tsunagu.server.update.rollout.RolloutException;
import io.tsunagu.server.update.rollout.RolloutNotifier;
import io.tsunagu.server.update.rollout.UpdateAction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves campaigns: operator transitions (start, pause, resume, cancel), group progression ({@link Progression}) and the
 * release of pending actions through the {@link Gates}. Every method works in one transaction under the campaign row's
 * lock, and tells the {@link RolloutNotifier} of offered and canceling actions only after the commit. Thread-safe.
 */
public final class RolloutEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);
    private static final Set<ActionState> UNSEEN = EnumSet.of(ActionState.SCHEDULED, ActionState.PENDING);

    private final RolloutSql sql;
    private final Gates gates;
    private final RolloutNotifier notifier;
    private final Clock clock;

    public RolloutEngine(RolloutSql sql, Gates gates, RolloutNotifier notifier, Clock clock) {
        this.sql = sql;
        this.gates = gates;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** A car to tell of an action's new state, once the transaction committed. */
    private record Notice(Vin vin, long actionId, ActionState state) {}

    /** {@code created → running}: group 1 starts and its actions are released as their gates allow. */
    public Campaign start(long id) {
        return operate(id, EnumSet.of(CampaignState.CREATED), (connection, campaign, now, notices) -> {
            CampaignStore.setState(connection, id, CampaignState.RUNNING, Optional.empty(), now);
            advance(connection, id, now, notices);
        });
    }

    /** {@code running → paused}: no action is released any more; running ones go on. */
    public Campaign pause(long id) {
        return operate(
                id,
                EnumSet.of(CampaignState.RUNNING),
                (connection, campaign, now, notices) ->
                        CampaignStore.setState(connection, id, CampaignState.PAUSED, Optional.empty(), now));
    }

    /** {@code paused → running}: progression and releases continue. */
    public Campaign resume(long id) {
        return operate(id, EnumSet.of(CampaignState.PAUSED), (connection, campaign, now, notices) -> {
            CampaignStore.setState(connection, id, CampaignState.RUNNING, Optional.empty(), now);
            advance(connection, id, now, notices);
        });
    }

    /**
     * Cancels the campaign: actions the cars have not seen are cancelled, those they work on move to {@code
     * canceling} (the car confirms), unfinished groups are cancelled.
     */
    public Campaign cancel(long id, String by) {
        Set<CampaignState> from =
                EnumSet.of(CampaignState.CREATED, CampaignState.RUNNING, CampaignState.PAUSED, CampaignState.HALTED);
        return operate(id, from, (connection, campaign, now, notices) -> {
            CampaignStore.setState(connection, id, CampaignState.CANCELLED, Optional.of("cancelled by " + by), now);
            ActionStore.moveAll(connection, id, Optional.empty(), UNSEEN, ActionState.CANCELLED, now, "cancelled");
            for (UpdateAction action : actionsIn(connection, id, ActionState.RUNNING)) {
                ActionStore.transition(
                                connection,
                                action,
                                ActionState.RUNNING,
                                ActionState.CANCELING,
                                now,
                                "cancel_requested",
                                List.of("campaign cancelled by " + by))
                        .ifPresent(a -> notices.add(new Notice(a.vin(), a.id(), a.state())));
            }
            for (var group : campaign.groups()) {
                if (group.state() == GroupState.SCHEDULED || group.state() == GroupState.RUNNING) {
                    CampaignStore.setGroupState(connection, id, group.position(), GroupState.CANCELLED, now);
                }
            }
        });
    }

    /** Applies progression and releases pending actions; a no-op unless the campaign is running or paused. */
    public void evaluate(long id) {
        List<Notice> notices = new ArrayList<>();
        sql.transaction(connection -> {
            Optional<CampaignState> state = CampaignStore.lock(connection, id);
            if (state.isPresent() && (state.get() == CampaignState.RUNNING || state.get() == CampaignState.PAUSED)) {
                advance(connection, id, clock.instant(), notices);
            }
            return null;
        });
        notify(notices);
    }

    /** Takes progression steps until none is left, then (if running) offers what the gates allow. */
    private void advance(Connection connection, long id, Instant now, List<Notice> notices) throws SQLException {
        for (int guard = 0; guard < 1000; guard++) {
            Campaign campaign = CampaignStore.find(connection, id).orElseThrow();
            Optional<Progression.Step> step = Progression.next(campaign);
            if (step.isEmpty()) {
                if (campaign.state() == CampaignState.RUNNING) {
                    release(connection, campaign, now, notices);
                }
                return;
            }
            apply(connection, id, step.get(), now);
        }
        throw new IllegalStateException("campaign " + id + " did not settle");
    }

    private void apply(Connection connection, long id, Progression.Step step, Instant now) throws SQLException {
        switch (step) {
            case Progression.Step.Halt halt -> {
                CampaignStore.setGroupState(connection, id, halt.position(), GroupState.HALTED, now);
                CampaignStore.setState(connection, id, CampaignState.HALTED, Optional.of(halt.reason()), now);
                LOG.warn("campaign {} halted: {}", id, halt.reason());
            }
            case Progression.Step.StartGroup start -> {
                CampaignStore.setGroupState(connection, id, start.position(), GroupState.RUNNING, now);
                int moved = ActionStore.moveAll(
                        connection,
                        id,
                        Optional.of(start.position()),
                        EnumSet.of(ActionState.SCHEDULED),
                        ActionState.PENDING,
                        now,
                        "released");
                LOG.info("campaign {}: group {} started ({} cars)", id, start.position(), moved);
            }
            case Progression.Step.FinishGroup finish ->
                CampaignStore.setGroupState(connection, id, finish.position(), GroupState.FINISHED, now);
            case Progression.Step.FinishCampaign done -> {
                CampaignStore.setState(connection, id, CampaignState.FINISHED, Optional.empty(), now);
                LOG.info("campaign {} finished", id);
            }
        }
    }

    /** Offers every pending action whose car passes the campaign's gates now. */
    private void release(Connection connection, Campaign campaign, Instant now, List<Notice> notices)
            throws SQLException {
        if (!Gates.windowOpen(campaign, now)) {
            return;
        }
        for (UpdateAction action : actionsIn(connection, campaign.id(), EnumSet.of(ActionState.PENDING))) {
            if (gates.passes(campaign, action.vin(), now)) {
                ActionStore.transition(
                                connection,
                                action,
                                EnumSet.of(ActionState.PENDING),
                                ActionState.OFFERED,
                                now,
                                "offered",
                                List.of())
                        .ifPresent(a -> notices.add(new Notice(a.vin(), a.id(), a.state())));
            }
        }
    }

    private static List<UpdateAction> actionsIn(Connection connection, long id, Set<ActionState> states)
            throws SQLException {
        return ActionStore.inStates(connection, id, states, true);
    }

    @FunctionalInterface
    private interface Operation {
        void run(Connection connection, Campaign campaign, Instant now, List<Notice> notices) throws SQLException;
    }

    private Campaign operate(long id, Set<CampaignState> from, Operation operation) {
        List<Notice> notices = new ArrayList<>();
        Campaign after = sql.transaction(connection -> {
            CampaignState state = CampaignStore.lock(connection, id)
                    .orElseThrow(
                            () -> RolloutException.notFound("campaign_not_found", "campaign " + id + " not found"));
            if (!from.contains(state)) {
                throw RolloutException.conflict(
                        "invalid_campaign_state",
                        "campaign " + id + " is " + state.code() + "; this needs one of "
                                + from.stream().map(CampaignState::code).toList());
            }
            operation.run(connection, CampaignStore.find(connection, id).orElseThrow(), clock.instant(), notices);
            return CampaignStore.find(connection, id).orElseThrow();
        });
        notify(notices);
        return after;
    }

    private void notify(List<Notice> notices) {
        for (Notice n : notices) {
            try {
                notifier.actionChanged(n.vin(), n.actionId(), n.state());
            } catch (RuntimeException e) {
                LOG.warn(
                        "[{}] notifying action {} failed; the car finds it at its next poll", n.vin(), n.actionId(), e);
            }
        }
    }
}
