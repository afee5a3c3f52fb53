package io.tsunagu.server.update.rollout;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One group of a campaign and its progress.
 *
 * @param position 1-based
 * @param actions how many of its actions are in each state (every state present, zero if none)
 */
public record CampaignGroup(
        int position,
        int targetCount,
        int successThresholdPct,
        int errorThresholdPct,
        GroupState state,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Map<ActionState, Integer> actions) {
    public CampaignGroup {
        EnumMap<ActionState, Integer> all = new EnumMap<>(ActionState.class);
        for (ActionState s : ActionState.values()) {
            all.put(s, actions.getOrDefault(s, 0));
        }
        actions = Collections.unmodifiableMap(all);
    }

    public int count(ActionState state) {
        return actions.get(state);
    }

    /** Successful actions as a share of the group's cars, in percent. */
    public double successPct() {
        return targetCount == 0 ? 0 : 100.0 * count(ActionState.SUCCESS) / targetCount;
    }

    /** Failed actions as a share of the group's cars, in percent. */
    public double failurePct() {
        return targetCount == 0 ? 0 : 100.0 * count(ActionState.FAILURE) / targetCount;
    }
}
