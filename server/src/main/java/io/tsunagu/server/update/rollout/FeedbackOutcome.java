package io.tsunagu.server.update.rollout;

/**
 * The result of a device report.
 *
 * @param action the action after the report
 * @param changed false if the report changed nothing: the action was already final (a repeated or late report, which
 *     is acknowledged and ignored), or the report only confirms the current state (it is still in the history)
 */
public record FeedbackOutcome(UpdateAction action, boolean changed) {}
