package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.Vehicle;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.Distribution;
import io.tsunagu.server.update.rollout.RolloutException;
import io.tsunagu.server.update.rollout.TargetQuery;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a campaign's target query over the registry, in VIN order (deterministic groups). Installed versions come
 * from the rollout's own installed base. Reads the registry through its public API only. Thread-safe.
 */
public final class TargetSelector {
    private final VehicleRegistry registry;
    private final RolloutSql sql;

    public TargetSelector(VehicleRegistry registry, RolloutSql sql) {
        this.registry = registry;
        this.sql = sql;
    }

    /**
     * @throws RolloutException {@code model_mismatch} if the query names another model than the distribution's; {@code
     *     empty_target} if no car matches
     */
    public List<Vin> select(TargetQuery query, Distribution distribution) {
        String model = query.model().map(String::strip).orElse(distribution.model());
        if (!model.equals(distribution.model())) {
            throw RolloutException.invalid(
                    "model_mismatch",
                    "distribution " + distribution.id() + " is for model '" + distribution.model()
                            + "', the target names '" + model + "'");
        }
        record Known(Set<Vin> busy, Map<Vin, String> versions) {}
        Known known = sql.transaction(connection -> new Known(
                ActionStore.vinsWithActions(connection, ActionState.OPEN),
                InstalledBaseStore.versions(connection, distribution.name())));
        List<Vin> vins = registry.list(Optional.empty()).stream()
                .filter(v -> !v.revoked() && v.model().equals(model))
                .filter(v -> v.tags().containsAll(query.tags()))
                .filter(v -> versionMatches(query, known.versions().get(v.vin())))
                .map(Vehicle::vin)
                .filter(vin -> !known.busy().contains(vin))
                .toList();
        if (vins.isEmpty()) {
            throw RolloutException.invalid(
                    "empty_target",
                    "no registered, unrevoked car of model '" + model
                            + "' matches the target (tags "
                            + query.tags().stream().sorted().toList() + ", current versions "
                            + query.currentVersions().stream().sorted().toList() + ") without an open update action");
        }
        return vins;
    }

    private static boolean versionMatches(TargetQuery query, String installed) {
        if (query.currentVersions().isEmpty()) {
            return true;
        }
        return query.currentVersions().contains(installed == null ? TargetQuery.NOTHING_INSTALLED : installed);
    }
}
