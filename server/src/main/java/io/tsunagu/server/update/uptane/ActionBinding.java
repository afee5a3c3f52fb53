package io.tsunagu.server.update.uptane;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.ArtifactLookup;
import io.tsunagu.server.update.rollout.DeviceAction;
import io.tsunagu.server.update.rollout.DeviceActions;
import io.tsunagu.server.update.rollout.Distribution;
import io.tsunagu.server.update.rollout.Feedback;
import io.tsunagu.server.update.rollout.RolloutNotifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns rollout actions into director targets: when a car's action is offered, each software module's artifacts are
 * released in the image repository (release counter from the module's version, see {@link ReleaseCounters}) and bound
 * to the car's ECUs of the module's hardware id; when a cancel is requested, the car's director targets are emptied. An
 * action whose images do not fit the car's ECUs is closed as failed with the director's reason.
 * Runs before the car is told on MQTT, so the car finds its metadata signed when it looks.
 */
public final class ActionBinding implements RolloutNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ActionBinding.class);

    private final UptaneRepositories uptane;
    private final DeviceActions actions;
    private final ArtifactLookup artifacts;

    public ActionBinding(UptaneRepositories uptane, DeviceActions actions, ArtifactLookup artifacts) {
        this.uptane = uptane;
        this.actions = actions;
        this.artifacts = artifacts;
    }

    /**
     * The image lookup over the rollouts' artifact lookup. It knows no version, so an image released through it alone
     * needs an explicit release counter; images of rollout actions take their module's version instead.
     */
    public static ImageArtifact.Lookup imageLookup(ArtifactLookup artifacts) {
        return sha256 -> artifacts
                .find(sha256)
                .map(info -> new ImageArtifact(
                        info.sha256(),
                        info.lengthBytes(),
                        info.filename(),
                        "",
                        info.hardwareIds().stream().sorted().toList()));
    }

    @Override
    public void actionChanged(Vin vin, long actionId, ActionState state) {
        try {
            if (uptane.ecus().list(vin).isEmpty()) {
                // No ECU inventory: not an Uptane car (e.g. a hawkBit DDI device); its action goes on without one.
                return;
            }
            if (state == ActionState.CANCELING) {
                uptane.director().clear(vin);
                return;
            }
            if (state != ActionState.OFFERED) {
                return;
            }
            Optional<DeviceAction> action = actions.action(vin, actionId);
            if (action.isPresent()) {
                uptane.director().assign(vin, assignments(action.get().distribution()));
            }
        } catch (UptaneException e) {
            LOG.warn("[{}] action {}: director targets not signed: {} ({})", vin, actionId, e.getMessage(), e.code());
            if (!e.retriable()) {
                refuse(vin, actionId, e);
            }
        }
    }

    /**
     * An action the director cannot bind (the car's ECUs do not fit, or the image cannot be released) would never
     * reach the car: it is closed as failed, with the reason in its status history, and counts towards its group's
     * error threshold like any failed car.
     */
    private void refuse(Vin vin, long actionId, UptaneException e) {
        try {
            actions.feedback(
                    vin,
                    actionId,
                    Feedback.of(
                            Feedback.Execution.CLOSED,
                            Feedback.Finished.FAILURE,
                            "refused by the Uptane director: " + e.code() + ": " + e.getMessage()));
        } catch (RuntimeException failed) {
            LOG.warn("[{}] action {}: cannot record the director's refusal", vin, actionId, failed);
        }
    }

    /** One assignment per artifact of each module, releasing images the image repository does not list yet. */
    List<ImageAssignment> assignments(Distribution distribution) {
        List<ImageAssignment> assignments = new ArrayList<>();
        for (Distribution.SoftwareModule module : distribution.modules()) {
            for (Distribution.Artifact artifact : module.artifacts()) {
                if (uptane.image().target(artifact.sha256()).isEmpty()) {
                    uptane.image().add(imageOf(module, artifact), OptionalLong.empty());
                }
                assignments.add(ImageAssignment.of(artifact.sha256(), module.hardwareId()));
            }
        }
        return assignments;
    }

    private ImageArtifact imageOf(Distribution.SoftwareModule module, Distribution.Artifact artifact) {
        List<String> hardwareIds = artifacts
                .find(artifact.sha256())
                .map(info -> info.hardwareIds().stream().sorted().toList())
                .orElse(List.of(module.hardwareId()));
        return new ImageArtifact(
                artifact.sha256(), artifact.lengthBytes(), artifact.filename(), module.version(), hardwareIds);
    }
}
