package io.tsunagu.server.update.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A rollout campaign with its groups and their progress.
 *
 * @param reason why it halted or was cancelled
 * @param groups in order; group 1 starts with the campaign
 */
public record Campaign(
        long id,
        String name,
        long distributionId,
        CampaignState state,
        Optional<String> reason,
        ActionType type,
        TargetQuery target,
        Optional<MaintenanceWindow> window,
        Optional<ParkedGate> gate,
        String createdBy,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        List<CampaignGroup> groups) {
    public Campaign {
        groups = List.copyOf(groups);
    }

    /** Cars in the campaign (all groups). */
    public int targetCount() {
        return groups.stream().mapToInt(CampaignGroup::targetCount).sum();
    }
}
