package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.update.rollout.GroupSpec;
import io.tsunagu.server.update.rollout.RolloutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a campaign's cars into its groups, in the given (VIN) order: a percentage takes that share of the whole target
 * set rounded down but at least one car, a count takes that many, and the last group also takes whatever is left, so
 * every targeted car is in exactly one group. Stateless.
 */
public final class Grouping {
    /** Most groups a campaign may have. */
    public static final int MAX_GROUPS = 100;

    private Grouping() {}

    /**
     * @throws RolloutException {@code invalid_groups} if there are no groups, too many, a bad amount or threshold, or
     *     the groups ask for more cars than the target set has
     */
    public static List<CampaignStore.NewGroup> split(
            List<Vin> vins, List<GroupSpec> specs, int successThresholdPct, int errorThresholdPct) {
        checkThresholds(successThresholdPct, errorThresholdPct);
        if (specs.isEmpty() || specs.size() > MAX_GROUPS) {
            throw RolloutException.invalid("invalid_groups", "a campaign needs 1.." + MAX_GROUPS + " groups");
        }
        List<CampaignStore.NewGroup> groups = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < specs.size(); i++) {
            GroupSpec spec = specs.get(i);
            int size = i == specs.size() - 1 ? vins.size() - next : size(spec, vins.size());
            if (size < 1 || next + size > vins.size()) {
                throw RolloutException.invalid(
                        "invalid_groups",
                        "group " + (i + 1) + " gets no cars: the groups ask for more than the " + vins.size()
                                + " targeted cars");
            }
            int success = spec.successThresholdPct().orElse(successThresholdPct);
            int error = spec.errorThresholdPct().orElse(errorThresholdPct);
            checkThresholds(success, error);
            groups.add(new CampaignStore.NewGroup(success, error, List.copyOf(vins.subList(next, next + size))));
            next += size;
        }
        return groups;
    }

    private static int size(GroupSpec spec, int total) {
        return switch (spec.amount()) {
            case PERCENT -> {
                if (spec.value() < 1 || spec.value() > 100) {
                    throw RolloutException.invalid(
                            "invalid_groups", "a group's percent must be 1..100, got " + spec.value());
                }
                yield Math.max(1, total * spec.value() / 100);
            }
            case COUNT -> {
                if (spec.value() < 1) {
                    throw RolloutException.invalid(
                            "invalid_groups", "a group's count must be >= 1, got " + spec.value());
                }
                yield spec.value();
            }
        };
    }

    /** Success 1..100 (a group that needs 0 % would start the next at once), error 0..100. */
    static void checkThresholds(int successThresholdPct, int errorThresholdPct) {
        if (successThresholdPct < 1 || successThresholdPct > 100) {
            throw RolloutException.invalid(
                    "invalid_threshold", "successThresholdPct must be 1..100, got " + successThresholdPct);
        }
        if (errorThresholdPct < 0 || errorThresholdPct > 100) {
            throw RolloutException.invalid(
                    "invalid_threshold", "errorThresholdPct must be 0..100, got " + errorThresholdPct);
        }
    }
}
