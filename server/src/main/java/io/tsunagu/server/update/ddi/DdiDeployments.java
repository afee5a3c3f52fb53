package io.tsunagu.server.update.ddi;

import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.ActionStatusEntry;
import io.tsunagu.server.update.rollout.ActionType;
import io.tsunagu.server.update.rollout.DeviceAction;
import io.tsunagu.server.update.rollout.DeviceActions;
import io.tsunagu.server.update.rollout.Distribution;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Renders a rollout action as hawkBit's deployment base: handling, chunks from the distribution's modules, history. */
final class DdiDeployments {
    private final DeviceActions actions;
    private final DdiArtifactHashes hashes;

    DdiDeployments(DeviceActions actions, DdiArtifactHashes hashes) {
        this.actions = actions;
        this.hashes = hashes;
    }

    DdiDeploymentBase of(DdiLinks links, DeviceAction action, int historyMessages) {
        // hawkBit: forced actions download and update "forced", soft ones "attempt"; outside an open maintenance
        // window the update part is "skip" (download may go ahead).
        DdiDeployment.Handling handling = action.action().type() == ActionType.FORCED
                ? DdiDeployment.Handling.FORCED
                : DdiDeployment.Handling.ATTEMPT;
        DdiDeployment.@Nullable MaintenanceWindow window = action.maintenanceWindowOpen()
                .map(open ->
                        open ? DdiDeployment.MaintenanceWindow.AVAILABLE : DdiDeployment.MaintenanceWindow.UNAVAILABLE)
                .orElse(null);
        DdiDeployment.Handling update =
                window == DdiDeployment.MaintenanceWindow.UNAVAILABLE ? DdiDeployment.Handling.SKIP : handling;
        var deployment = new DdiDeployment(handling, update, chunks(links, action.distribution()), window);
        return new DdiDeploymentBase(Long.toString(action.id()), deployment, history(action, historyMessages));
    }

    List<DdiArtifact> artifacts(DdiLinks links, DdiModuleId module, Distribution.SoftwareModule software) {
        return software.artifacts().stream()
                .map(a -> new DdiArtifact(
                        a.filename(), hashes.of(a.sha256()), a.lengthBytes(), links.artifact(module, a.filename())))
                .toList();
    }

    private List<DdiChunk> chunks(DdiLinks links, Distribution distribution) {
        List<DdiChunk> chunks = new ArrayList<>();
        for (int i = 0; i < distribution.modules().size(); i++) {
            Distribution.SoftwareModule module = distribution.modules().get(i);
            DdiModuleId id = new DdiModuleId(distribution.id(), i);
            chunks.add(
                    new DdiChunk(part(module.type()), module.version(), module.name(), artifacts(links, id, module)));
        }
        return chunks;
    }

    /** hawkBit renders two module types by their legacy keys. */
    private static String part(String type) {
        return switch (type) {
            case "application" -> "bApp";
            case "runtime" -> "jvm";
            default -> type;
        };
    }

    private @Nullable DdiActionHistory history(DeviceAction action, int historyMessages) {
        if (historyMessages == 0) {
            return null;
        }
        int limit = historyMessages < 0
                ? DdiDeviceApi.MAX_HISTORY_MESSAGES
                : Math.min(historyMessages, DdiDeviceApi.MAX_HISTORY_MESSAGES);
        List<ActionStatusEntry> entries = actions.history(action.action().vin(), action.id(), limit);
        List<String> messages = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0 && messages.size() < limit; i--) { // hawkBit lists newest first
            ActionStatusEntry entry = entries.get(i);
            List<String> texts =
                    entry.messages().isEmpty() ? List.of("Update Server: " + entry.event()) : entry.messages();
            for (String text : texts.reversed()) {
                if (messages.size() < limit) {
                    messages.add(text);
                }
            }
        }
        return new DdiActionHistory(status(action.action().state()), messages);
    }

    /** Our action state in hawkBit's action status words. */
    static String status(ActionState state) {
        return switch (state) {
            case SCHEDULED, PENDING -> "SCHEDULED";
            case OFFERED, INSTALLING -> "RUNNING";
            case DOWNLOADING -> "DOWNLOAD";
            case DOWNLOADED -> "DOWNLOADED";
            case CANCELING -> "CANCELING";
            case SUCCESS -> "FINISHED";
            case FAILURE -> "ERROR";
            case CANCELLED -> "CANCELED";
        };
    }
}
