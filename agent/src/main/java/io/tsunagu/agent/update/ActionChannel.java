package io.tsunagu.agent.update;

import java.util.Optional;

/**
 * The car's view of the cloud's update actions (hawkBit DDI v1: poll, {@code deploymentBase}, feedback, {@code
 * cancelAction} feedback). As an {@link UpdateReporter} it delivers the A/B system's steps as deployment feedback.
 * Implementations are thread-safe; their calls block (the update client runs them on its own thread).
 */
public interface ActionChannel extends UpdateReporter {
    /**
     * Asks the cloud what to do now.
     *
     * @return empty when there is nothing to do
     * @throws io.tsunagu.agent.AgentException {@code update_server_unreachable} (retriable) on I/O faults or 5xx
     */
    Optional<ActionNotice> poll();

    /** The action's details; throws like {@link #poll()}, and {@code action_not_found} (fatal) if it is gone. */
    Deployment deployment(UpdateActionId actionId);

    /**
     * Answers a cancel request: {@code confirmed} = the car stopped the action before installing (DDI {@code
     * canceled}), otherwise it refuses ({@code rejected}: the install already started). Throws like {@link #poll()}.
     */
    void cancelFeedback(UpdateActionId actionId, boolean confirmed, String details);
}
