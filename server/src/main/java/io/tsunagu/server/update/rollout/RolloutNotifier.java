package io.tsunagu.server.update.rollout;

import io.tsunagu.protocol.Vin;

/**
 * Tells a car at once that it has work: a new action was offered, or a cancel was requested. Best effort and
 * non-blocking; a car that misses it finds the action at its next poll or connection.
 */
public interface RolloutNotifier {
    /** Action {@code actionId} of {@code vin} was offered or is being cancelled. */
    void actionChanged(Vin vin, long actionId, ActionState state);

    /** Tells nobody. */
    RolloutNotifier NONE = (vin, actionId, state) -> {};
}
