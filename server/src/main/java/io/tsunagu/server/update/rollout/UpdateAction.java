package io.tsunagu.server.update.rollout;

import io.tsunagu.protocol.Vin;
import java.time.Instant;
import java.util.Optional;

/**
 * One car's update action in a campaign (hawkBit: action).
 *
 * @param id hawkBit-style numeric id, unique across campaigns; the DDI {@code actionId}
 * @param groupPosition 1-based group of the campaign
 * @param offeredAt when the car could first fetch it
 */
public record UpdateAction(
        long id,
        Vin vin,
        long campaignId,
        int groupPosition,
        long distributionId,
        ActionType type,
        ActionState state,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> offeredAt,
        Optional<Instant> finishedAt) {

    /** True while a cancel waits for the car's confirmation (DDI: the poll links {@code cancelAction}). */
    public boolean cancelRequested() {
        return state == ActionState.CANCELING;
    }
}
