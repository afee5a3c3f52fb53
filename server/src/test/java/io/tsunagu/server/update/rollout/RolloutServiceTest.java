package io.tsunagu.server.update.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.ManualClock;
import io.tsunagu.server.testing.TestVins;
import io.tsunagu.server.twin.TwinStore;
import io.tsunagu.server.update.rollout.Feedback.Execution;
import io.tsunagu.server.update.rollout.Feedback.Finished;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributions, campaigns, group progression and the device API on embedded H2; {@link PostgresRolloutServiceTest}
 * runs the same tests on PostgreSQL.
 */
class RolloutServiceTest {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final String MODEL = "Kei EV";

    @TempDir
    Path dir;

    MetadataDatabase db;
    VehicleRegistry registry;
    TwinStore twins;
    InMemoryArtifacts artifacts;
    RecordingNotifier notifier;
    ManualClock clock;
    RolloutService rollouts;
    List<Vin> cars;
    List<Vin> beta;

    MetadataDatabase openDatabase() {
        return MetadataDatabase.embedded(dir);
    }

    @BeforeEach
    void open() {
        db = openDatabase();
        clock = new ManualClock(T0);
        registry = new VehicleRegistry(db.dataSource(), clock);
        twins = new TwinStore();
        artifacts = new InMemoryArtifacts();
        notifier = new RecordingNotifier();
        rollouts = new RolloutService(db.dataSource(), registry, twins, artifacts, notifier, clock);
        cars = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            Vin vin = TestVins.northAmerican("1TSURAWL", i);
            registry.register(vin, MODEL, "alice", i <= 5 ? Set.of("beta") : Set.of());
            cars.add(vin);
        }
        cars.sort(java.util.Comparator.comparing(Vin::value)); // groups take cars in VIN order
        beta = cars.stream()
                .filter(v -> registry.find(v).orElseThrow().tags().contains("beta"))
                .toList();
    }

    @AfterEach
    void close() {
        rollouts.close();
        db.close();
    }

    @Test
    void distributionResolvesItsArtifactsThroughTheLookup() {
        Distribution d = distribution("1.1.0");

        assertThat(d.id()).isPositive();
        assertThat(d.modules()).singleElement().satisfies(m -> {
            assertThat(m.hardwareId()).isEqualTo("ecu-main");
            assertThat(m.artifacts()).singleElement().satisfies(a -> {
                assertThat(a.filename()).isEqualTo("main.img");
                assertThat(a.lengthBytes()).isEqualTo("image 1.1.0".length());
            });
        });
        assertThat(rollouts.distribution(d.id())).contains(d);
        assertThat(rollouts.distributions(10)).containsExactly(d);
    }

    @Test
    void distributionNamingAnUnknownOrUnfittingArtifactIsRefused() {
        String other = artifacts.add("tcu.img", "tcu image", "ecu-tcu");

        assertThatThrownBy(() -> rollouts.createDistribution(request("1.0", "ab".repeat(32))))
                .isInstanceOfSatisfying(
                        RolloutException.class, e -> assertThat(e.code()).isEqualTo("unknown_artifact"));
        assertThatThrownBy(() -> rollouts.createDistribution(request("1.0", other)))
                .isInstanceOfSatisfying(
                        RolloutException.class, e -> assertThat(e.code()).isEqualTo("artifact_hardware_mismatch"));
        distribution("1.0");
        assertThatThrownBy(() -> distribution("1.0")).isInstanceOfSatisfying(RolloutException.class, e -> {
            assertThat(e.code()).isEqualTo("distribution_exists");
            assertThat(e.kind()).isEqualTo(RolloutException.Kind.CONFLICT);
        });
    }

    @Test
    void campaignSplitsItsTargetsIntoGroupsWithScheduledActions() {
        Campaign campaign = campaign(distribution("1.1.0"), TargetQuery.all(), 100, 0);

        assertThat(campaign.state()).isEqualTo(CampaignState.CREATED);
        assertThat(campaign.groups()).extracting(CampaignGroup::targetCount).containsExactly(2, 3, 5);
        assertThat(campaign.groups()).allSatisfy(g -> {
            assertThat(g.state()).isEqualTo(GroupState.SCHEDULED);
            assertThat(g.count(ActionState.SCHEDULED)).isEqualTo(g.targetCount());
        });
        List<UpdateAction> actions = rollouts.campaignActions(campaign.id(), Optional.empty(), 100);
        assertThat(actions).extracting(UpdateAction::vin).containsExactlyElementsOf(cars);
        assertThat(rollouts.openAction(cars.getFirst()))
                .as("scheduled actions are not shown to the car")
                .isEmpty();
    }

    @Test
    void badCampaignsAreRefusedWithClearCodes() {
        Distribution d = distribution("1.1.0");
        assertThat(code(() -> campaign(d, new TargetQuery(Optional.empty(), Set.of("nobody"), Set.of()), 100, 0)))
                .isEqualTo("empty_target");
        assertThat(code(() -> campaign(d, new TargetQuery(Optional.of("Other EV"), Set.of(), Set.of()), 100, 0)))
                .isEqualTo("model_mismatch");
        assertThat(code(() -> campaign(d, TargetQuery.all(), 0, 0))).isEqualTo("invalid_threshold");
        assertThat(code(() -> campaign(d, TargetQuery.all(), 100, 101))).isEqualTo("invalid_threshold");
        assertThat(code(() -> rollouts.createCampaign(new CampaignRequest(
                        "c",
                        999,
                        TargetQuery.all(),
                        List.of(GroupSpec.percent(50)),
                        100,
                        0,
                        ActionType.FORCED,
                        Optional.empty(),
                        Optional.empty(),
                        "op"))))
                .isEqualTo("unknown_distribution");
        assertThat(code(() -> rollouts.createCampaign(new CampaignRequest(
                        "c",
                        d.id(),
                        TargetQuery.all(),
                        List.of(GroupSpec.count(8), GroupSpec.count(5), GroupSpec.percent(10)),
                        100,
                        0,
                        ActionType.FORCED,
                        Optional.empty(),
                        Optional.empty(),
                        "op"))))
                .isEqualTo("invalid_groups");
    }

    @Test
    void groupsProgressOnSuccessAndTheCampaignHaltsWhenFailuresPassTheErrorThreshold() {
        Campaign campaign = campaign(distribution("1.1.0"), TargetQuery.all(), 100, 30);
        rollouts.startCampaign(campaign.id());
        assertThat(offered()).containsExactlyElementsOf(cars.subList(0, 2));

        succeed(cars.get(0));
        assertThat(offered()).as("group 1 at 50 %% of its 100 %% threshold").containsExactly(cars.get(1));
        succeed(cars.get(1));
        assertThat(offered()).containsExactlyElementsOf(cars.subList(2, 5));
        assertThat(group(campaign.id(), 1).state()).isEqualTo(GroupState.FINISHED);

        fail(cars.get(2));
        assertThat(rollouts.campaign(campaign.id()).orElseThrow().state())
                .as("1 of 3 failed = 33 %% > 30 %%")
                .isEqualTo(CampaignState.HALTED);
        Campaign halted = rollouts.campaign(campaign.id()).orElseThrow();
        assertThat(halted.reason()).hasValueSatisfying(r -> assertThat(r).contains("group 2"));
        assertThat(halted.groups().get(1).state()).isEqualTo(GroupState.HALTED);
        assertThat(halted.groups().get(2).state()).isEqualTo(GroupState.SCHEDULED);
        succeed(cars.get(3));
        assertThat(rollouts.campaign(campaign.id())
                        .orElseThrow()
                        .groups()
                        .get(2)
                        .count(ActionState.SCHEDULED))
                .as("running actions finish, but no later group starts")
                .isEqualTo(5);
    }

    @Test
    void campaignFinishesWhenEveryGroupSucceeded() {
        Campaign campaign = campaign(distribution("1.1.0"), TargetQuery.all(), 100, 0);
        rollouts.startCampaign(campaign.id());
        for (Vin vin : cars) {
            succeed(vin);
        }

        Campaign done = rollouts.campaign(campaign.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(CampaignState.FINISHED);
        assertThat(done.finishedAt()).contains(T0);
        assertThat(rollouts.installedBase(cars.get(9))).hasValueSatisfying(b -> {
            assertThat(b.distribution().version()).isEqualTo("1.1.0");
            assertThat(b.actionId())
                    .isEqualTo(
                            rollouts.vehicleActions(cars.get(9), 1).getFirst().id());
        });
    }

    @Test
    void pauseStopsReleasingAndResumeContinues() {
        Campaign campaign = campaign(distribution("1.1.0"), TargetQuery.all(), 50, 100);
        rollouts.startCampaign(campaign.id());
        rollouts.pauseCampaign(campaign.id());

        succeed(cars.get(0));
        rollouts.sweep();
        assertThat(offered()).as("paused: group 2 does not start").containsExactly(cars.get(1));
        assertThat(code(() -> rollouts.pauseCampaign(campaign.id()))).isEqualTo("invalid_campaign_state");

        rollouts.resumeCampaign(campaign.id());
        assertThat(offered()).containsExactly(cars.get(1), cars.get(2), cars.get(3), cars.get(4));
    }

    @Test
    void cancelCancelsUnseenActionsAndAsksCarsToConfirmTheRest() {
        Campaign campaign = campaign(distribution("1.1.0"), TargetQuery.all(), 100, 100);
        rollouts.startCampaign(campaign.id());
        long first = rollouts.openAction(cars.get(0)).orElseThrow().id();
        long second = rollouts.openAction(cars.get(1)).orElseThrow().id();
        report(cars.get(1), second, Execution.DOWNLOADED, Finished.NONE);

        Campaign cancelled = rollouts.cancelCampaign(campaign.id(), "operator");

        assertThat(cancelled.state()).isEqualTo(CampaignState.CANCELLED);
        assertThat(cancelled.groups().get(2).count(ActionState.CANCELLED)).isEqualTo(5);
        assertThat(rollouts.openAction(cars.get(0)))
                .hasValueSatisfying(
                        a -> assertThat(a.action().cancelRequested()).isTrue());
        assertThat(notifier.notices).contains(new RecordingNotifier.Notice(cars.get(0), first, ActionState.CANCELING));
        assertThat(code(() -> report(cars.get(0), first, Execution.PROCEEDING, Finished.NONE)))
                .isEqualTo("action_canceling");

        rollouts.cancelFeedback(cars.get(0), first, Feedback.of(Execution.CANCELED, Finished.NONE));
        rollouts.cancelFeedback(cars.get(1), second, Feedback.of(Execution.REJECTED, Finished.NONE, "installing"));

        assertThat(rollouts.openAction(cars.get(0))).isEmpty();
        assertThat(rollouts.action(cars.get(0), first).orElseThrow().action().state())
                .isEqualTo(ActionState.CANCELLED);
        assertThat(rollouts.action(cars.get(1), second).orElseThrow().action().state())
                .as("a rejected cancel returns the action to where it was")
                .isEqualTo(ActionState.DOWNLOADED);
        assertThat(code(() -> rollouts.cancelCampaign(campaign.id(), "operator")))
                .isEqualTo("invalid_campaign_state");
    }

    @Test
    void deviceReportsMoveTheActionForwardAndAreKeptInItsHistory() {
        Campaign campaign = campaign(distribution("1.1.0"), TargetQuery.all(), 100, 100);
        rollouts.startCampaign(campaign.id());
        Vin vin = cars.get(0);
        DeviceAction open = rollouts.openAction(vin).orElseThrow();
        assertThat(open.distribution().version()).isEqualTo("1.1.0");
        assertThat(open.maintenanceWindowOpen()).isEmpty();
        assertThat(notifier.notices).contains(new RecordingNotifier.Notice(vin, open.id(), ActionState.OFFERED));

        assertThat(report(vin, open.id(), Execution.PROCEEDING, Finished.NONE)).isEqualTo(ActionState.DOWNLOADING);
        assertThat(report(vin, open.id(), Execution.DOWNLOADED, Finished.NONE)).isEqualTo(ActionState.DOWNLOADED);
        assertThat(report(vin, open.id(), Execution.DOWNLOAD, Finished.NONE))
                .as("never backwards")
                .isEqualTo(ActionState.DOWNLOADED);
        assertThat(report(vin, open.id(), Execution.PROCEEDING, Finished.NONE)).isEqualTo(ActionState.INSTALLING);
        assertThat(code(() -> report(vin, open.id(), Execution.CLOSED, Finished.NONE)))
                .isEqualTo("invalid_feedback");
        assertThat(report(vin, open.id(), Execution.CLOSED, Finished.SUCCESS)).isEqualTo(ActionState.SUCCESS);
        FeedbackOutcome late = rollouts.feedback(vin, open.id(), Feedback.of(Execution.CLOSED, Finished.FAILURE));

        assertThat(late.changed()).isFalse();
        assertThat(late.action().state()).isEqualTo(ActionState.SUCCESS);
        assertThat(rollouts.history(vin, open.id(), 100))
                .extracting(ActionStatusEntry::event)
                .containsExactly(
                        "created",
                        "released",
                        "offered",
                        "feedback:proceeding",
                        "feedback:downloaded",
                        "feedback:download",
                        "feedback:proceeding",
                        "feedback:closed");
        assertThat(rollouts.history(vin, open.id(), 2))
                .extracting(ActionStatusEntry::event)
                .containsExactly("feedback:proceeding", "feedback:closed");
    }

    @Test
    void aCarSeesOnlyItsOwnActions() {
        Campaign campaign = campaign(distribution("1.1.0"), TargetQuery.all(), 100, 100);
        rollouts.startCampaign(campaign.id());
        long theirs = rollouts.openAction(cars.get(0)).orElseThrow().id();
        long scheduled = rollouts.campaignActions(campaign.id(), Optional.of(3), 1)
                .getFirst()
                .id();

        assertThat(rollouts.action(cars.get(1), theirs)).isEmpty();
        assertThat(rollouts.history(cars.get(1), theirs, 10)).isEmpty();
        assertThat(code(() -> report(cars.get(1), theirs, Execution.PROCEEDING, Finished.NONE)))
                .isEqualTo("action_not_found");
        assertThat(code(() -> report(cars.get(5), scheduled, Execution.PROCEEDING, Finished.NONE)))
                .as("a scheduled action is not the car's yet")
                .isEqualTo("action_not_found");
    }

    @Test
    void actionsAreOfferedOnlyInsideTheMaintenanceWindow() {
        // 02:00-04:00 UTC daily; the clock starts at 10:00.
        MaintenanceWindow window = new MaintenanceWindow("0 0 2 ? * *", Duration.ofHours(2), ZoneOffset.UTC);
        Campaign campaign = rollouts.createCampaign(new CampaignRequest(
                "night",
                distribution("1.1.0").id(),
                TargetQuery.all(),
                List.of(GroupSpec.percent(100)),
                100,
                0,
                ActionType.SOFT,
                Optional.of(window),
                Optional.empty(),
                "op"));
        rollouts.startCampaign(campaign.id());
        assertThat(offered()).isEmpty();

        clock.set(Instant.parse("2026-03-03T01:59:59Z"));
        rollouts.sweep();
        assertThat(offered()).isEmpty();
        clock.set(Instant.parse("2026-03-03T02:00:00Z"));
        rollouts.sweep();
        assertThat(offered()).hasSize(10);
        assertThat(rollouts.openAction(cars.get(0)).orElseThrow().maintenanceWindowOpen())
                .contains(true);
        clock.set(Instant.parse("2026-03-03T04:00:00Z"));
        assertThat(rollouts.openAction(cars.get(0)).orElseThrow().maintenanceWindowOpen())
                .contains(false);
    }

    @Test
    void actionsAreOfferedOnlyToParkedCarsWithEnoughCharge() {
        Campaign campaign = rollouts.createCampaign(new CampaignRequest(
                "parked",
                distribution("1.1.0").id(),
                new TargetQuery(Optional.empty(), Set.of("beta"), Set.of()),
                List.of(GroupSpec.percent(100)),
                100,
                0,
                ActionType.FORCED,
                Optional.empty(),
                Optional.of(new ParkedGate(50)),
                "op"));
        state(beta.get(0), 0, false, 80); // parked
        state(beta.get(1), 30, false, 80); // driving
        state(beta.get(2), 0, true, 80); // charging
        state(beta.get(3), 0, false, 20); // low battery
        // beta.get(4): no twin at all

        rollouts.startCampaign(campaign.id());
        assertThat(offered()).containsExactly(beta.get(0));

        state(beta.get(1), 0, false, 80);
        rollouts.sweep();
        assertThat(offered()).containsExactly(beta.get(0), beta.get(1));
    }

    @Test
    void targetByCurrentVersionUsesTheInstalledBase() {
        Distribution v1 = distribution("1.0.0");
        Campaign first = rollouts.createCampaign(new CampaignRequest(
                "v1",
                v1.id(),
                new TargetQuery(Optional.empty(), Set.of("beta"), Set.of()),
                List.of(GroupSpec.percent(100)),
                100,
                0,
                ActionType.FORCED,
                Optional.empty(),
                Optional.empty(),
                "op"));
        rollouts.startCampaign(first.id());
        succeed(beta.get(0));
        succeed(beta.get(1));

        Campaign second = rollouts.createCampaign(new CampaignRequest(
                "v2",
                distribution("2.0.0").id(),
                new TargetQuery(Optional.empty(), Set.of(), Set.of("1.0.0")),
                List.of(GroupSpec.percent(100)),
                100,
                0,
                ActionType.FORCED,
                Optional.empty(),
                Optional.empty(),
                "op"));
        List<UpdateAction> actions = rollouts.campaignActions(second.id(), Optional.empty(), 100);

        assertThat(actions).extracting(UpdateAction::vin).containsExactly(beta.get(0), beta.get(1));
        assertThat(code(() -> rollouts.createCampaign(new CampaignRequest(
                        "v2 again",
                        second.distributionId(),
                        new TargetQuery(Optional.empty(), Set.of(), Set.of("1.0.0")),
                        List.of(GroupSpec.percent(100)),
                        100,
                        0,
                        ActionType.FORCED,
                        Optional.empty(),
                        Optional.empty(),
                        "op"))))
                .as("cars with an open action are left out")
                .isEqualTo("empty_target");
    }

    // --- helpers

    Distribution distribution(String version) {
        String sha = artifacts.add("main.img", "image " + version, "ecu-main");
        return rollouts.createDistribution(request(version, sha));
    }

    static DistributionRequest request(String version, String sha256) {
        return new DistributionRequest(
                "kei-main",
                version,
                MODEL,
                "test build",
                List.of(new DistributionRequest.Module(
                        "ecu-main",
                        "main",
                        "firmware",
                        version,
                        List.of(new DistributionRequest.ArtifactRef(sha256, "")))),
                "op");
    }

    /** Groups of 20 %, 30 % and the rest (2, 3, 5 of ten cars). */
    Campaign campaign(Distribution d, TargetQuery target, int successPct, int errorPct) {
        return rollouts.createCampaign(new CampaignRequest(
                "wave",
                d.id(),
                target,
                List.of(GroupSpec.percent(20), GroupSpec.percent(30), GroupSpec.percent(50)),
                successPct,
                errorPct,
                ActionType.FORCED,
                Optional.empty(),
                Optional.empty(),
                "op"));
    }

    /** Cars whose open action is offered and untouched. */
    List<Vin> offered() {
        return cars.stream()
                .filter(v -> rollouts.openAction(v)
                        .filter(a -> a.action().state() == ActionState.OFFERED)
                        .isPresent())
                .toList();
    }

    CampaignGroup group(long campaignId, int position) {
        return rollouts.campaign(campaignId).orElseThrow().groups().get(position - 1);
    }

    void succeed(Vin vin) {
        long id = rollouts.openAction(vin).orElseThrow().id();
        report(vin, id, Execution.CLOSED, Finished.SUCCESS);
    }

    void fail(Vin vin) {
        long id = rollouts.openAction(vin).orElseThrow().id();
        report(vin, id, Execution.CLOSED, Finished.FAILURE);
    }

    ActionState report(Vin vin, long id, Execution execution, Finished finished) {
        return rollouts.feedback(vin, id, Feedback.of(execution, finished, "test"))
                .action()
                .state();
    }

    void state(Vin vin, double speed, boolean charging, double soc) {
        long ts = clock.millis();
        twins.apply(
                vin,
                List.of(
                        new Sample(vin, ts, Sample.NO_SEQ, ParkedGate.SPEED, new SignalValue.Num(speed)),
                        new Sample(vin, ts, Sample.NO_SEQ, ParkedGate.IS_CHARGING, new SignalValue.Bool(charging)),
                        new Sample(vin, ts, Sample.NO_SEQ, ParkedGate.STATE_OF_CHARGE, new SignalValue.Num(soc))));
    }

    static String code(Runnable call) {
        try {
            call.run();
        } catch (RolloutException e) {
            return e.code();
        }
        throw new AssertionError("expected a RolloutException");
    }
}
