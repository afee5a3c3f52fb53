package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.Campaign;
import io.tsunagu.server.update.rollout.CampaignGroup;
import io.tsunagu.server.update.rollout.CampaignState;
import io.tsunagu.server.update.rollout.GroupState;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a campaign's group counts call for, hawkBit's group conditions made explicit. Pure: {@link #next} looks at a
 * campaign snapshot and names one step; the engine applies it and asks again until nothing is left to do.
 *
 * <ol>
 *   <li>A running group whose failures exceed its error threshold halts the group and the campaign (also while
 *       paused: the running actions go on and may fail).
 *   <li>A running campaign whose running group reached its success threshold starts the next scheduled group.
 *   <li>A running group whose actions are all final finishes; if it did so below its success threshold without a
 *       later group having started, the campaign halts (an operator decides what next).
 *   <li>A running campaign with no running group starts its first scheduled group (after a resume).
 *   <li>A campaign whose groups are all finished finishes.
 * </ol>
 */
public final class Progression {
    private Progression() {}

    /** One step to take. */
    public sealed interface Step {
        /** Halt group {@code position} and the campaign. */
        record Halt(int position, String reason) implements Step {}

        /** Start group {@code position}. */
        record StartGroup(int position) implements Step {}

        /** Group {@code position} is done. */
        record FinishGroup(int position) implements Step {}

        /** Every group is done. */
        record FinishCampaign() implements Step {}
    }

    public static Optional<Step> next(Campaign campaign) {
        if (campaign.state() != CampaignState.RUNNING && campaign.state() != CampaignState.PAUSED) {
            return Optional.empty();
        }
        List<CampaignGroup> groups = campaign.groups();
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).state() == GroupState.RUNNING) {
                Optional<CampaignGroup> following =
                        i + 1 < groups.size() ? Optional.of(groups.get(i + 1)) : Optional.empty();
                Optional<Step> step = runningGroup(campaign, groups.get(i), following);
                if (step.isPresent()) {
                    return step;
                }
            }
        }
        return afterGroups(campaign);
    }

    private static Optional<Step> runningGroup(
            Campaign campaign, CampaignGroup group, Optional<CampaignGroup> following) {
        if (group.failurePct() > group.errorThresholdPct()) {
            return Optional.of(new Step.Halt(
                    group.position(),
                    describe(
                            "group %d: %d of %d actions failed (%.1f %%), above its error threshold of %d %%",
                            group, ActionState.FAILURE, group.failurePct(), group.errorThresholdPct())));
        }
        boolean succeeded = group.successPct() >= group.successThresholdPct();
        boolean followingScheduled =
                following.filter(f -> f.state() == GroupState.SCHEDULED).isPresent();
        if (succeeded && followingScheduled && campaign.state() == CampaignState.RUNNING) {
            return Optional.of(new Step.StartGroup(following.get().position()));
        }
        if (!allFinal(group)) {
            return Optional.empty();
        }
        if (!succeeded && (followingScheduled || following.isEmpty())) {
            return Optional.of(new Step.Halt(
                    group.position(),
                    describe(
                            "group %d finished with %d of %d actions successful (%.1f %%), below its success threshold of"
                                    + " %d %%",
                            group, ActionState.SUCCESS, group.successPct(), group.successThresholdPct())));
        }
        return Optional.of(new Step.FinishGroup(group.position()));
    }

    /** With no running group to act on: start the next after a resume, or finish. */
    private static Optional<Step> afterGroups(Campaign campaign) {
        List<CampaignGroup> groups = campaign.groups();
        // A group that finished while the campaign was paused did not start its successor; resuming does.
        boolean anyRunning = groups.stream().anyMatch(g -> g.state() == GroupState.RUNNING);
        Optional<CampaignGroup> scheduled =
                groups.stream().filter(g -> g.state() == GroupState.SCHEDULED).findFirst();
        if (campaign.state() == CampaignState.RUNNING && !anyRunning && scheduled.isPresent()) {
            return Optional.of(new Step.StartGroup(scheduled.get().position()));
        }
        boolean allFinished = groups.stream().allMatch(g -> g.state() == GroupState.FINISHED);
        return allFinished ? Optional.of(new Step.FinishCampaign()) : Optional.empty();
    }

    private static String describe(String format, CampaignGroup group, ActionState counted, double pct, int threshold) {
        return String.format(
                Locale.ROOT, format, group.position(), group.count(counted), group.targetCount(), pct, threshold);
    }

    private static boolean allFinal(CampaignGroup group) {
        int open = 0;
        for (ActionState s : ActionState.OPEN) {
            open += group.count(s);
        }
        return open == 0;
    }
}
