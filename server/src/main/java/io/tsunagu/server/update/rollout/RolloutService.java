package io.tsunagu.server.update.rollout;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.observe.GracefulStop;
import io.tsunagu.server.twin.TwinStore;
import io.tsunagu.server.update.rollout.internal.ActionStore;
import io.tsunagu.server.update.rollout.internal.CampaignStore;
import io.tsunagu.server.update.rollout.internal.DeviceReports;
import io.tsunagu.server.update.rollout.internal.DistributionRules;
import io.tsunagu.server.update.rollout.internal.DistributionStore;
import io.tsunagu.server.update.rollout.internal.Gates;
import io.tsunagu.server.update.rollout.internal.Grouping;
import io.tsunagu.server.update.rollout.internal.InstalledBaseStore;
import io.tsunagu.server.update.rollout.internal.RolloutEngine;
import io.tsunagu.server.update.rollout.internal.RolloutSql;
import io.tsunagu.server.update.rollout.internal.TargetSelector;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTA rollouts: distributions, campaigns that roll one out group by group, and the per-car actions the devices work on
 * ({@link DeviceActions}). Groups progress when a device report finishes an action and at every sweep ({@link #start});
 * the sweep also offers pending actions whose gates (maintenance window, parked car) have opened.
 *
 * <p>Thread-safe. Device reports are applied under the action's row lock, campaign changes under the campaign's.
 */
public final class RolloutService implements DeviceActions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutService.class);

    private final DistributionStore distributions;
    private final DistributionRules distributionRules;
    private final CampaignStore campaigns;
    private final ActionStore actions;
    private final InstalledBaseStore installed;
    private final TargetSelector targets;
    private final RolloutEngine engine;
    private final DeviceReports reports;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** Distributions and campaign windows never change once stored, so polls read them from memory. */
    private final Map<Long, Distribution> distributionCache = new ConcurrentHashMap<>();

    private final Map<Long, Optional<MaintenanceWindow>> windowCache = new ConcurrentHashMap<>();

    public RolloutService(
            DataSource dataSource,
            VehicleRegistry registry,
            TwinStore twins,
            ArtifactLookup artifacts,
            RolloutNotifier notifier,
            Clock clock) {
        RolloutSql sql = new RolloutSql(dataSource);
        this.distributions = new DistributionStore(sql);
        this.distributionRules = new DistributionRules(artifacts);
        this.campaigns = new CampaignStore(sql);
        this.actions = new ActionStore(sql);
        this.installed = new InstalledBaseStore(sql);
        this.targets = new TargetSelector(registry, sql);
        this.engine = new RolloutEngine(sql, new Gates(twins), notifier, clock);
        this.reports = new DeviceReports(sql, clock);
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tsunagu-rollout-sweep").daemon(true).factory());
    }

    /** Starts the sweep: every {@code interval}, running and paused campaigns progress and gated actions are offered. */
    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep now (the scheduled sweep calls this; tests with a manual clock call it directly). */
    public void sweep() {
        for (long id : campaigns.idsInStates(EnumSet.of(CampaignState.RUNNING, CampaignState.PAUSED))) {
            try {
                engine.evaluate(id);
            } catch (RuntimeException e) {
                LOG.warn("rollout sweep of campaign {} failed; next sweep retries", id, e);
            }
        }
    }

    /**
     * Creates a distribution, resolving every artifact through the {@link ArtifactLookup}.
     *
     * @throws RolloutException {@code invalid_distribution}, {@code unknown_artifact}, {@code
     *     artifact_hardware_mismatch} (invalid); {@code distribution_exists} (conflict)
     */
    public Distribution createDistribution(DistributionRequest request) {
        Distribution d = distributions.insert(distributionRules.resolve(request), clock.instant());
        LOG.info(
                "distribution {} created: {} {} for {} ({} modules)",
                d.id(),
                d.name(),
                d.version(),
                d.model(),
                d.modules().size());
        return d;
    }

    public Optional<Distribution> distribution(long id) {
        Distribution cached = distributionCache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Distribution> found = distributions.find(id);
        found.ifPresent(d -> distributionCache.put(id, d));
        return found;
    }

    /** Distributions, newest first. */
    public List<Distribution> distributions(int limit) {
        return distributions.list(limit);
    }

    /**
     * Creates a campaign in state {@code created}: resolves the target set, splits it into groups and gives every car a
     * {@code scheduled} action.
     *
     * @throws RolloutException {@code unknown_distribution}, {@code invalid_campaign}, {@code model_mismatch}, {@code
     *     empty_target}, {@code invalid_groups}, {@code invalid_threshold} (all invalid)
     */
    public Campaign createCampaign(CampaignRequest request) {
        String name = request.name().strip();
        if (name.isEmpty() || name.length() > 128) {
            throw RolloutException.invalid("invalid_campaign", "'name' must be 1..128 characters");
        }
        Distribution distribution = distribution(request.distributionId())
                .orElseThrow(() -> RolloutException.invalid(
                        "unknown_distribution", "no distribution " + request.distributionId()));
        List<Vin> vins = targets.select(request.target(), distribution);
        var groups = Grouping.split(vins, request.groups(), request.successThresholdPct(), request.errorThresholdPct());
        long id = campaigns.insert(
                new CampaignStore.NewCampaign(
                        name,
                        distribution.id(),
                        request.target(),
                        request.type(),
                        request.window(),
                        request.gate(),
                        request.requestedBy(),
                        groups),
                clock.instant());
        LOG.info(
                "campaign {} created by {}: distribution {}, {} cars in {} groups",
                id,
                request.requestedBy(),
                distribution.id(),
                vins.size(),
                groups.size());
        return campaigns.find(id).orElseThrow();
    }

    public Optional<Campaign> campaign(long id) {
        return campaigns.find(id);
    }

    /** Campaigns, newest first. */
    public List<Campaign> campaigns(int limit) {
        return campaigns.list(limit);
    }

    /** Starts a created campaign. @throws RolloutException {@code campaign_not_found}, {@code invalid_campaign_state} */
    public Campaign startCampaign(long id) {
        return logged(engine.start(id), "started");
    }

    /** Pauses a running campaign. @throws RolloutException {@code campaign_not_found}, {@code invalid_campaign_state} */
    public Campaign pauseCampaign(long id) {
        return logged(engine.pause(id), "paused");
    }

    /** Resumes a paused campaign. @throws RolloutException {@code campaign_not_found}, {@code invalid_campaign_state} */
    public Campaign resumeCampaign(long id) {
        return logged(engine.resume(id), "resumed");
    }

    /**
     * Cancels a campaign that has not finished (also a halted one), requesting cancel of its open actions.
     *
     * @throws RolloutException {@code campaign_not_found}, {@code invalid_campaign_state}
     */
    public Campaign cancelCampaign(long id, String by) {
        return logged(engine.cancel(id, by), "cancelled by " + by);
    }

    private static Campaign logged(Campaign campaign, String what) {
        LOG.info("campaign {} {}: now {}", campaign.id(), what, campaign.state().code());
        return campaign;
    }

    /** A campaign's actions in id order, optionally of one group. */
    public List<UpdateAction> campaignActions(long campaignId, Optional<Integer> group, int limit) {
        return actions.byCampaign(campaignId, group, limit);
    }

    /** A car's actions (every state), newest first. */
    public List<UpdateAction> vehicleActions(Vin vin, int limit) {
        return actions.byVin(vin, limit);
    }

    /** The status history of any action (operator view); empty if there is none. */
    public List<ActionStatusEntry> actionHistory(long actionId, int limit) {
        return actions.history(actionId, limit);
    }

    @Override
    public Optional<DeviceAction> openAction(Vin vin) {
        return actions.oldest(vin, ActionState.OPEN_ON_CAR).map(this::deviceAction);
    }

    @Override
    public Optional<DeviceAction> action(Vin vin, long actionId) {
        return actions.find(actionId)
                .filter(a -> a.vin().equals(vin) && a.offeredAt().isPresent())
                .map(this::deviceAction);
    }

    @Override
    public FeedbackOutcome feedback(Vin vin, long actionId, Feedback feedback) {
        return progressed(reports.feedback(vin, actionId, feedback));
    }

    @Override
    public FeedbackOutcome cancelFeedback(Vin vin, long actionId, Feedback feedback) {
        return progressed(reports.cancelFeedback(vin, actionId, feedback));
    }

    /** A report that finished an action may move its campaign on; evaluated after the report's commit. */
    private FeedbackOutcome progressed(FeedbackOutcome outcome) {
        if (outcome.changed() && outcome.action().state().isFinal()) {
            engine.evaluate(outcome.action().campaignId());
        }
        return outcome;
    }

    @Override
    public Optional<InstalledBase> installedBase(Vin vin) {
        return installed
                .find(vin)
                .flatMap(i -> distribution(i.distributionId())
                        .map(d -> new InstalledBase(vin, i.actionId(), d, i.installedAt())));
    }

    @Override
    public List<ActionStatusEntry> history(Vin vin, long actionId, int limit) {
        return action(vin, actionId).isPresent() ? actions.history(actionId, limit) : List.of();
    }

    private DeviceAction deviceAction(UpdateAction action) {
        Distribution d = distribution(action.distributionId()).orElseThrow();
        Optional<MaintenanceWindow> window = windowCache.computeIfAbsent(
                action.campaignId(), id -> campaigns.find(id).flatMap(Campaign::window));
        return new DeviceAction(action, d, window.map(w -> w.isOpen(clock.instant())));
    }

    @Override
    public void close() {
        GracefulStop.stop(scheduler, Duration.ofSeconds(10), "rollout scheduler");
    }
}
