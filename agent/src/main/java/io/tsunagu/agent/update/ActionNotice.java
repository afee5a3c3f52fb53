package io.tsunagu.agent.update;

/**
 * What a poll of the cloud says the car should do next (hawkBit DDI: the {@code deploymentBase} or {@code
 * cancelAction} link of the controller base).
 *
 * @param actionId the action
 * @param cancel true: the cloud asks to cancel the action ({@code cancelAction}); false: carry it out
 */
public record ActionNotice(UpdateActionId actionId, boolean cancel) {}
