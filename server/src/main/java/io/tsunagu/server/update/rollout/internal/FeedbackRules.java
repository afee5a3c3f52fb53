package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.Feedback;
import io.tsunagu.server.update.rollout.Feedback.Execution;
import io.tsunagu.server.update.rollout.Feedback.Finished;
import io.tsunagu.server.update.rollout.RolloutException;
import java.util.Optional;

/**
 * Maps a device's DDI feedback onto the action state machine. Pure functions; the DDI status values and their hawkBit
 * meaning are in {@link Feedback.Execution}. States never move backwards: a late {@code download} after {@code
 * downloaded} is kept in the history only.
 */
public final class FeedbackRules {
    private FeedbackRules() {}

    /**
     * The state a report on a running action leads to; empty: history only.
     *
     * @throws RolloutException {@code invalid_feedback} for an inconsistent execution/finished pair
     */
    public static Optional<ActionState> onDeployment(ActionState current, Feedback feedback) {
        check(feedback);
        return switch (feedback.execution()) {
            case CLOSED ->
                Optional.of(feedback.finished() == Finished.SUCCESS ? ActionState.SUCCESS : ActionState.FAILURE);
            case DOWNLOAD -> forward(current, ActionState.DOWNLOADING);
            case DOWNLOADED -> forward(current, ActionState.DOWNLOADED);
            case PROCEEDING, RESUMED ->
                switch (current) {
                    case OFFERED -> Optional.of(ActionState.DOWNLOADING);
                    case DOWNLOADED -> Optional.of(ActionState.INSTALLING);
                    default -> Optional.empty();
                };
            case SCHEDULED, REJECTED, CANCELED -> Optional.empty();
        };
    }

    /** What a device's answer to a cancel request means. */
    public enum CancelAnswer {
        CONFIRMED,
        REJECTED,
        NOTE
    }

    public static CancelAnswer onCancel(Feedback feedback) {
        check(feedback);
        return switch (feedback.execution()) {
            case CANCELED -> CancelAnswer.CONFIRMED;
            case CLOSED -> feedback.finished() == Finished.SUCCESS ? CancelAnswer.CONFIRMED : CancelAnswer.REJECTED;
            case REJECTED -> CancelAnswer.REJECTED;
            default -> CancelAnswer.NOTE;
        };
    }

    private static Optional<ActionState> forward(ActionState current, ActionState to) {
        return current.ordinal() < to.ordinal() ? Optional.of(to) : Optional.empty();
    }

    private static void check(Feedback feedback) {
        boolean closed = feedback.execution() == Execution.CLOSED;
        if (closed && feedback.finished() == Finished.NONE) {
            throw RolloutException.invalid(
                    "invalid_feedback", "execution 'closed' needs result.finished 'success' or 'failure'");
        }
        if (!closed && feedback.finished() != Finished.NONE) {
            throw RolloutException.invalid(
                    "invalid_feedback",
                    "result.finished '" + feedback.finished().code() + "' is only valid with execution 'closed'");
        }
    }
}
