package io.tsunagu.server.update.rollout;

import java.util.List;
import java.util.Optional;

/**
 * A campaign to create. The target set is resolved and split into groups when the campaign is created (hawkBit does
 * the same): membership is fixed from then on, and every car gets a {@code scheduled} action at once.
 *
 * @param successThresholdPct 1..100: a group whose successful actions reach this share of its cars starts the next
 * @param errorThresholdPct 0..100: a group whose failed actions exceed this share halts the campaign (0: any failure)
 * @param window optional maintenance window; actions are offered only while it is open
 * @param gate optional live-state gate; actions are offered only to parked cars
 */
public record CampaignRequest(
        String name,
        long distributionId,
        TargetQuery target,
        List<GroupSpec> groups,
        int successThresholdPct,
        int errorThresholdPct,
        ActionType type,
        Optional<MaintenanceWindow> window,
        Optional<ParkedGate> gate,
        String requestedBy) {
    public CampaignRequest {
        groups = List.copyOf(groups);
    }
}
