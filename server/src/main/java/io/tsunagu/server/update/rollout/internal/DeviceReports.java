package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.Feedback;
import io.tsunagu.server.update.rollout.FeedbackOutcome;
import io.tsunagu.server.update.rollout.RolloutException;
import io.tsunagu.server.update.rollout.UpdateAction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Applies device reports to actions, each in one transaction under the action row's lock: the report is always kept in
 * the status history (unless the action is already final), and the state moves as {@link FeedbackRules} says. A
 * success also records the car's installed base. Thread-safe.
 */
public final class DeviceReports {
    private final RolloutSql sql;
    private final Clock clock;

    public DeviceReports(RolloutSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** See {@code DeviceActions.feedback}. */
    public FeedbackOutcome feedback(Vin vin, long actionId, Feedback feedback) {
        return sql.transaction(connection -> {
            UpdateAction action = lockOwn(connection, vin, actionId);
            if (action.state().isFinal()) {
                return new FeedbackOutcome(action, false);
            }
            if (action.state() == ActionState.CANCELING) {
                throw RolloutException.conflict(
                        "action_canceling",
                        "action " + actionId + " is being cancelled; answer the cancel request instead");
            }
            if (feedback.execution() == Feedback.Execution.CANCELED) {
                throw RolloutException.conflict("not_canceling", "action " + actionId + " has no cancel request");
            }
            Optional<ActionState> to = FeedbackRules.onDeployment(action.state(), feedback);
            return apply(
                    connection, action, to, "feedback:" + feedback.execution().code(), messages(feedback));
        });
    }

    /** See {@code DeviceActions.cancelFeedback}. */
    public FeedbackOutcome cancelFeedback(Vin vin, long actionId, Feedback feedback) {
        return sql.transaction(connection -> {
            UpdateAction action = lockOwn(connection, vin, actionId);
            if (action.state() == ActionState.CANCELLED) {
                return new FeedbackOutcome(action, false);
            }
            if (action.state() != ActionState.CANCELING) {
                throw RolloutException.conflict("not_canceling", "action " + actionId + " has no cancel request");
            }
            List<String> messages = messages(feedback);
            return switch (FeedbackRules.onCancel(feedback)) {
                case CONFIRMED -> apply(connection, action, Optional.of(ActionState.CANCELLED), "cancelled", messages);
                case REJECTED ->
                    apply(
                            connection,
                            action,
                            Optional.of(ActionStore.stateBeforeCancel(connection, actionId)),
                            "cancel_rejected",
                            messages);
                case NOTE ->
                    apply(
                            connection,
                            action,
                            Optional.empty(),
                            "feedback:" + feedback.execution().code(),
                            messages);
            };
        });
    }

    private FeedbackOutcome apply(
            Connection connection, UpdateAction action, Optional<ActionState> to, String event, List<String> messages)
            throws SQLException {
        Instant now = clock.instant();
        if (to.isEmpty() || to.get() == action.state()) {
            ActionStore.appendStatus(connection, action.id(), action.state(), event, messages, now);
            return new FeedbackOutcome(action, false);
        }
        UpdateAction after = ActionStore.transition(
                        connection, action, EnumSet.of(action.state()), to.get(), now, event, messages)
                .orElseThrow(() -> new IllegalStateException("locked action " + action.id() + " changed state"));
        if (after.state() == ActionState.SUCCESS) {
            InstalledBaseStore.record(connection, after.vin(), after.distributionId(), after.id(), now);
        }
        return new FeedbackOutcome(after, true);
    }

    /** Locks the action; not-found unless it is this car's and was offered to it. */
    private static UpdateAction lockOwn(Connection connection, Vin vin, long actionId) throws SQLException {
        return ActionStore.find(connection, actionId, true)
                .filter(a -> a.vin().equals(vin) && a.offeredAt().isPresent())
                .orElseThrow(() ->
                        RolloutException.notFound("action_not_found", "no update action " + actionId + " for " + vin));
    }

    private static List<String> messages(Feedback feedback) {
        List<String> out = new ArrayList<>();
        feedback.progress().ifPresent(p -> out.add("progress " + p.cnt() + "/" + p.of()));
        feedback.details().stream()
                .limit(Feedback.MAX_DETAILS)
                .map(d -> RolloutSql.truncate(d, 1000))
                .forEach(out::add);
        return out;
    }
}
