package io.tsunagu.server.update.ddi;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.DeviceAction;
import io.tsunagu.server.update.rollout.DeviceActions;
import io.tsunagu.server.update.rollout.Distribution;
import io.tsunagu.server.update.rollout.InstalledBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The DDI resources of one car, as values, on top of the rollout action model ({@link DeviceActions}); the HTTP routes
 * ({@code io.tsunagu.server.api.DdiRoutes}) authenticate, parse and render. Follows hawkBit's {@code
 * DdiRootController}: which links a poll shows, which action states each resource serves (else 404), and that
 * feedback on a finished action is refused with {@link DdiException#ACTION_CLOSED} (410 Gone). Thread-safe.
 */
public final class DdiDeviceApi {
    /** hawkBit's cap on {@code ?actionHistory=N} messages. */
    public static final int MAX_HISTORY_MESSAGES = 100;

    private final DeviceActions actions;
    private final DdiControllerAttributes attributes;
    private final DdiDeployments deployments;
    private final DdiPolling polling;

    public DdiDeviceApi(
            DeviceActions actions, DdiControllerAttributes attributes, DdiArtifactHashes hashes, DdiSettings settings) {
        this.actions = actions;
        this.attributes = attributes;
        this.deployments = new DdiDeployments(actions, hashes);
        this.polling = DdiPolling.of(settings.pollingSleep());
    }

    /** {@code GET /{tenant}/controller/v1/{controllerId}}: polling sleep and links to what the car should do. */
    public DdiControllerBase base(DdiLinks links) {
        Vin vin = links.vin();
        Map<String, DdiLink> out = new LinkedHashMap<>();
        actions.openAction(vin).ifPresent(open -> {
            if (open.action().cancelRequested()) {
                out.put(DdiControllerBase.CANCEL_ACTION, links.cancelAction(open.id()));
            } else {
                out.put(DdiControllerBase.DEPLOYMENT_BASE, links.deploymentBase(open.id(), etag(open)));
            }
        });
        Optional<InstalledBase> installed = actions.installedBase(vin);
        installed.ifPresent(i -> out.put(DdiControllerBase.INSTALLED_BASE, links.installedBase(i.actionId())));
        if (attributes.requested(vin, installedActionId(installed))) {
            out.put(DdiControllerBase.CONFIG_DATA, links.configData());
        }
        return new DdiControllerBase(new DdiConfig(polling), out);
    }

    /**
     * {@code GET .../deploymentBase/{actionId}}: any action of this car the device has been offered, except one being
     * cancelled or cancelled (hawkBit answers those with 404; the poll links {@code cancelAction} instead).
     *
     * @param historyMessages {@code ?actionHistory=N}: 0 none, N &gt; 0 the newest N, N &lt; 0 the most allowed
     */
    public DdiDeploymentBase deploymentBase(DdiLinks links, long actionId, int historyMessages) {
        DeviceAction action = action(links.vin(), actionId);
        ActionState state = action.action().state();
        if (state == ActionState.CANCELING || state == ActionState.CANCELLED) {
            throw notFound(actionId);
        }
        return deployments.of(links, action, historyMessages);
    }

    /** {@code GET .../installedBase/{actionId}}: a finished action (success or failure), as a deployment base. */
    public DdiDeploymentBase installedBase(DdiLinks links, long actionId, int historyMessages) {
        DeviceAction action = action(links.vin(), actionId);
        ActionState state = action.action().state();
        if (state != ActionState.SUCCESS && state != ActionState.FAILURE) {
            throw notFound(actionId);
        }
        return deployments.of(links, action, historyMessages);
    }

    /**
     * {@code POST .../deploymentBase/{actionId}/feedback}.
     *
     * @throws DdiException {@code action_not_found}; {@code action_closed} if the action is finished
     * @throws io.tsunagu.server.update.rollout.RolloutException as {@link DeviceActions#feedback} (invalid or
     *     conflicting report)
     */
    public void deploymentFeedback(Vin vin, long actionId, DdiActionFeedback feedback) {
        DeviceAction action = action(vin, actionId);
        if (action.action().state().isFinal()) {
            throw new DdiException(
                    DdiException.ACTION_CLOSED,
                    "action " + actionId + " is " + action.action().state().code() + "; it takes no more feedback");
        }
        actions.feedback(vin, actionId, DdiFeedbacks.toRollout(feedback));
    }

    /** {@code GET .../cancelAction/{actionId}}: only while a cancel is pending or done, as hawkBit. */
    public DdiCancel cancelAction(Vin vin, long actionId) {
        ActionState state = action(vin, actionId).action().state();
        if (state != ActionState.CANCELING && state != ActionState.CANCELLED) {
            throw notFound(actionId);
        }
        return DdiCancel.of(actionId);
    }

    /** {@code POST .../cancelAction/{actionId}/feedback}: confirms or rejects a cancel. */
    public void cancelFeedback(Vin vin, long actionId, DdiActionFeedback feedback) {
        action(vin, actionId);
        actions.cancelFeedback(vin, actionId, DdiFeedbacks.toRollout(feedback));
    }

    /** {@code PUT .../configData}: stores the controller attributes. */
    public void configData(Vin vin, DdiConfigData data) {
        attributes.apply(vin, data, installedActionId(actions.installedBase(vin)));
    }

    /** {@code GET .../softwaremodules/{moduleId}/artifacts}: the module's artifacts, if the car may have them. */
    public List<DdiArtifact> moduleArtifacts(DdiLinks links, DdiModuleId module) {
        return deployments.artifacts(links, module, entitledModule(links.vin(), module));
    }

    /**
     * The artifact a download request names: in a module of the car's open action or of its installed base (hawkBit
     * lets a target download only what is assigned to it).
     *
     * @throws DdiException {@code artifact_not_found}
     */
    public Distribution.Artifact downloadable(Vin vin, DdiModuleId module, String filename) {
        return entitledModule(vin, module).artifacts().stream()
                .filter(a -> a.filename().equals(filename))
                .findFirst()
                .orElseThrow(() -> artifactNotFound(module));
    }

    private Distribution.SoftwareModule entitledModule(Vin vin, DdiModuleId module) {
        return entitledDistributions(vin).stream()
                .filter(d -> d.id() == module.distributionId()
                        && module.index() < d.modules().size())
                .map(d -> d.modules().get(module.index()))
                .findFirst()
                .orElseThrow(() -> artifactNotFound(module));
    }

    private List<Distribution> entitledDistributions(Vin vin) {
        return Stream.concat(
                        actions.openAction(vin).map(DeviceAction::distribution).stream(),
                        actions.installedBase(vin).map(InstalledBase::distribution).stream())
                .toList();
    }

    private DeviceAction action(Vin vin, long actionId) {
        return actions.action(vin, actionId).orElseThrow(() -> notFound(actionId));
    }

    private static OptionalLong installedActionId(Optional<InstalledBase> installed) {
        return installed.map(i -> OptionalLong.of(i.actionId())).orElse(OptionalLong.empty());
    }

    /**
     * hawkBit's {@code ?c=} parameter: changes whenever what the deployment base says changes (state, type, window),
     * so an HTTP cache keyed on the URL never serves an outdated deployment.
     */
    private static int etag(DeviceAction open) {
        return Objects.hash(open.id(), open.action().state(), open.action().type(), open.maintenanceWindowOpen());
    }

    private static DdiException notFound(long actionId) {
        return new DdiException(DdiException.ACTION_NOT_FOUND, "action " + actionId + " not found");
    }

    private static DdiException artifactNotFound(DdiModuleId module) {
        return new DdiException(
                DdiException.ARTIFACT_NOT_FOUND, "software module " + module.value() + " or its artifact not found");
    }
}
