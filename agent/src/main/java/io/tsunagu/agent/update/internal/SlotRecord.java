package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.update.InstallRequest;
import io.tsunagu.agent.update.UpdateActionId;
import java.util.Optional;

/**
 * What the boot-control record knows of one slot.
 *
 * @param state the slot's life-cycle state
 * @param version the software version in (or being written into) the slot; empty string when {@link
 *     SlotState#EMPTY}
 * @param sha256 lower-case hex SHA-256 the slot image has (or must have once written); empty when {@link
 *     SlotState#EMPTY}
 * @param lengthBytes the image length; 0 when empty
 * @param actionId the update action that wrote the slot; empty for the factory image
 */
public record SlotRecord(
        SlotState state, String version, String sha256, long lengthBytes, Optional<UpdateActionId> actionId) {
    /** A slot with no image. */
    public static SlotRecord empty() {
        return new SlotRecord(SlotState.EMPTY, "", "", 0, Optional.empty());
    }

    /** A slot about to receive the image of {@code request}. */
    public static SlotRecord writing(InstallRequest request) {
        return new SlotRecord(
                SlotState.WRITING,
                request.version(),
                request.sha256(),
                request.lengthBytes(),
                Optional.of(request.actionId()));
    }

    /** The same slot in another state. */
    public SlotRecord in(SlotState newState) {
        return new SlotRecord(newState, version, sha256, lengthBytes, actionId);
    }
}
