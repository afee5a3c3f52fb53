package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.server.update.rollout.ArtifactLookup;
import io.tsunagu.server.update.rollout.Distribution;
import io.tsunagu.server.update.rollout.DistributionRequest;
import io.tsunagu.server.update.rollout.RolloutException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates a distribution request and resolves its artifacts: every artifact must be stored and fit the hardware id
 * of its module's ECU (Uptane binds images to hardware ids; refusing a mismatch here keeps a wrong image out of every
 * campaign). Stateless apart from the lookup.
 */
public final class DistributionRules {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+~-]{1,64}");
    private static final Pattern TYPE = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_MODULES = 64;
    private static final int MAX_ARTIFACTS = 32;

    private final ArtifactLookup artifacts;

    public DistributionRules(ArtifactLookup artifacts) {
        this.artifacts = artifacts;
    }

    /**
     * @throws RolloutException {@code invalid_distribution}, {@code unknown_artifact}, {@code
     *     artifact_hardware_mismatch} (all invalid)
     */
    public DistributionStore.NewDistribution resolve(DistributionRequest request) {
        String name = text("name", request.name(), 128);
        String version = request.version().strip();
        if (!VERSION.matcher(version).matches()) {
            throw invalid("'version' must match " + VERSION.pattern() + ", got '" + version + "'");
        }
        String model = text("model", request.model(), 200);
        if (request.description().length() > 2000) {
            throw invalid("'description' is longer than 2000 characters");
        }
        if (request.modules().isEmpty() || request.modules().size() > MAX_MODULES) {
            throw invalid("a distribution needs 1.." + MAX_MODULES + " modules");
        }
        List<Distribution.SoftwareModule> modules = new ArrayList<>();
        for (DistributionRequest.Module module : request.modules()) {
            modules.add(module(module));
        }
        return new DistributionStore.NewDistribution(
                name, version, model, request.description(), modules, request.requestedBy());
    }

    private Distribution.SoftwareModule module(DistributionRequest.Module m) {
        String hardwareId = text("module hardwareId", m.hardwareId(), 128);
        String type = m.type().strip();
        if (!TYPE.matcher(type).matches()) {
            throw invalid("module type must match " + TYPE.pattern() + ", got '" + type + "'");
        }
        String version = m.version().strip();
        if (!VERSION.matcher(version).matches()) {
            throw invalid("module version must match " + VERSION.pattern() + ", got '" + version + "'");
        }
        if (m.artifacts().isEmpty() || m.artifacts().size() > MAX_ARTIFACTS) {
            throw invalid("module " + m.name() + " needs 1.." + MAX_ARTIFACTS + " artifacts");
        }
        List<Distribution.Artifact> resolved = new ArrayList<>();
        for (DistributionRequest.ArtifactRef ref : m.artifacts()) {
            resolved.add(artifact(hardwareId, ref));
        }
        return new Distribution.SoftwareModule(hardwareId, text("module name", m.name(), 128), type, version, resolved);
    }

    private Distribution.Artifact artifact(String hardwareId, DistributionRequest.ArtifactRef ref) {
        String sha256 = ref.sha256().strip();
        if (!SHA256.matcher(sha256).matches()) {
            throw invalid("artifact sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
        }
        ArtifactLookup.ArtifactInfo info = artifacts
                .find(sha256)
                .orElseThrow(() -> RolloutException.invalid("unknown_artifact", "no stored artifact " + sha256));
        if (!info.hardwareIds().contains(hardwareId)) {
            throw RolloutException.invalid(
                    "artifact_hardware_mismatch",
                    "artifact " + sha256 + " fits hardware ids "
                            + info.hardwareIds().stream().sorted().toList() + ", not the module's " + hardwareId);
        }
        String filename =
                ref.filename().isBlank() ? info.filename() : ref.filename().strip();
        if (filename.length() > 255 || filename.contains("/") || filename.contains("\\")) {
            throw invalid("artifact filename must be at most 255 characters without path separators");
        }
        return new Distribution.Artifact(sha256, filename, info.lengthBytes());
    }

    private static String text(String field, String value, int max) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > max) {
            throw invalid("'" + field + "' must be 1.." + max + " characters");
        }
        return v;
    }

    private static RolloutException invalid(String message) {
        return RolloutException.invalid("invalid_distribution", message);
    }
}
