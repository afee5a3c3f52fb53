package io.tsunagu.agent.update.internal;

import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.AbUpdateSystem;
import io.tsunagu.agent.update.ActionChannel;
import io.tsunagu.agent.update.Deployment;
import io.tsunagu.agent.update.DeploymentImage;
import io.tsunagu.agent.update.EcuSerial;
import io.tsunagu.agent.update.InstallRequest;
import io.tsunagu.agent.update.MetadataChannel;
import io.tsunagu.agent.update.StepKind;
import io.tsunagu.agent.update.UpdateActionId;
import io.tsunagu.agent.update.UpdateOutcome;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.TrustedState;
import io.tsunagu.protocol.update.UpdateRefusedException;
import io.tsunagu.protocol.update.UpdateVerifier;
import io.tsunagu.protocol.update.VerifiedTarget;
import io.tsunagu.protocol.update.VerifiedUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One update action, start to end, in the order Uptane and DDI want it: fetch the action; fetch and fully verify the
 * director's and the image repository's metadata ({@link UpdateVerifier}) and persist the new trust before acting on
 * it; check that the action names every image the director assigns; download each (resumably, guarded); last chance
 * to cancel; install through the {@link AbUpdateSystem}; record what the car now runs.
 *
 * <p>Any {@link UpdateRefusedException} ends the action as {@code failed(<refusal code>: <message>)} with nothing
 * installed. I/O faults end the run with {@link Result#RETRY_LATER}: the action stays open on the server and the next
 * poll continues (a partial download resumes). Runs on the update client's thread only.
 */
public final class ActionRun {
    private static final Logger LOG = LoggerFactory.getLogger(ActionRun.class);

    /** How a run ended. */
    public enum Result {
        /** Installed (committed or rolled back) or failed; the outbox reports it. */
        FINISHED,
        /** The cloud's cancel came before the install started; confirmed. */
        CANCELED,
        /** A transient fault; the next poll continues. */
        RETRY_LATER,
        /** The car already finished this action; only the outbox may still be reporting it. */
        ALREADY_FINISHED
    }

    private final Vin vin;
    private final AbUpdateSystem ab;
    private final ActionChannel actions;
    private final MetadataChannel metadata;
    private final RangeDownloader downloader;
    private final TrustedStateFile trustFile;
    private final Supplier<TrustedState> initialTrust;
    private final UpdateVerifier verifier;
    private final Path downloads;

    public ActionRun(
            Vin vin,
            AbUpdateSystem ab,
            ActionChannel actions,
            MetadataChannel metadata,
            RangeDownloader downloader,
            TrustedStateFile trustFile,
            Supplier<TrustedState> initialTrust,
            UpdateVerifier verifier,
            Path downloads) {
        this.vin = vin;
        this.ab = ab;
        this.actions = actions;
        this.metadata = metadata;
        this.downloader = downloader;
        this.trustFile = trustFile;
        this.initialTrust = initialTrust;
        this.verifier = verifier;
        this.downloads = downloads;
    }

    /**
     * Carries out action {@code id}.
     *
     * @param cancelled asked before each download and before the install: has the cloud asked to cancel this action?
     */
    public Result run(UpdateActionId id, Predicate<UpdateActionId> cancelled) {
        if (finished(id)) {
            return Result.ALREADY_FINISHED;
        }
        try {
            Deployment deployment = actions.deployment(id);
            TrustedState trusted = trustFile.load().orElseGet(initialTrust);
            VerifiedUpdate verified = verifier.verify(
                    trusted,
                    metadata.director(trusted.director().rootVersion()),
                    Optional.of(metadata.image(trusted.image().rootVersion())));
            trustFile.save(verified.newState());
            List<Planned> plan = plan(deployment, verified.toInstall());
            List<Path> images = new ArrayList<>();
            for (Planned p : plan) {
                if (cancelled.test(id)) {
                    return Result.CANCELED;
                }
                images.add(download(id, p));
            }
            record(id, plan.getFirst(), StepKind.DOWNLOADED, Optional.empty());
            if (cancelled.test(id)) {
                return Result.CANCELED;
            }
            install(id, plan, images, verified.newState());
            return Result.FINISHED;
        } catch (UpdateRefusedException e) {
            if (e.retriable()) {
                LOG.info("{} action {}: {}; continuing at the next poll", vin, id, e.getMessage());
                return Result.RETRY_LATER;
            }
            LOG.warn("{} action {}: refused ({}): {}", vin, id, e.code(), e.getMessage());
            fail(id, e.code() + ": " + e.getMessage());
            return Result.FINISHED;
        } catch (TsunaguException e) {
            if (!e.retriable()) {
                LOG.warn("{} action {}: {} ({}); ending it as failed", vin, id, e.getMessage(), e.code());
                fail(id, e.code() + ": " + e.getMessage());
                return Result.FINISHED;
            }
            LOG.info("{} action {}: {} ({}); continuing at the next poll", vin, id, e.getMessage(), e.code());
            return Result.RETRY_LATER;
        }
    }

    /** The partial file of an image, named by its SHA-256 so that a restarted car finds it again. */
    public Path partialFile(String sha256) {
        return downloads.resolve(sha256 + ".part");
    }

    private boolean finished(UpdateActionId id) {
        for (EcuSerial ecu : ab.installedBase().keySet()) {
            if (ab.outcome(id, ecu).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Pairs each director target with the action's image of the same SHA-256; refuses what the action lacks. */
    private List<Planned> plan(Deployment deployment, List<VerifiedTarget> targets) {
        if (targets.isEmpty()) {
            throw new AgentException(
                    "nothing_to_install", "the director assigns no image this car does not already run", false);
        }
        List<Planned> plan = new ArrayList<>();
        for (VerifiedTarget target : targets) {
            DeploymentImage image = deployment
                    .image(target.sha256())
                    .orElseThrow(() -> new AgentException(
                            "action_mismatch",
                            "the director assigns " + target.targetName() + " (sha256 " + target.sha256() + ") to ECU "
                                    + target.ecuSerial() + " but the action does not contain it",
                            false));
            plan.add(new Planned(target, image, EcuSerial.of(target.ecuSerial())));
        }
        return List.copyOf(plan);
    }

    private Path download(UpdateActionId id, Planned p) {
        record(id, p, StepKind.DOWNLOADING, Optional.empty());
        LOG.info(
                "{} action {}: downloading {} ({} bytes) for ECU {}",
                vin,
                id,
                p.target().targetName(),
                p.target().lengthBytes(),
                p.ecu());
        return downloader.download(
                p.image().download(), p.target(), partialFile(p.target().sha256()), bytes -> {});
    }

    private void install(UpdateActionId id, List<Planned> plan, List<Path> images, TrustedState trusted) {
        TrustedState state = trusted;
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            InstallRequest request = new InstallRequest(
                    id,
                    p.ecu(),
                    p.image().version(),
                    p.target().sha256(),
                    p.target().lengthBytes());
            UpdateOutcome outcome = ab.install(request, images.get(i), (written, total) -> {});
            delete(images.get(i));
            if (!outcome.succeeded()) {
                return;
            }
            // What the ECU runs now is the floor of the next rollback check (Uptane 5.4.4.2).
            state = state.withInstalled(p.target());
            trustFile.save(state);
        }
    }

    private void record(UpdateActionId id, Planned p, StepKind kind, Optional<String> reason) {
        ab.outbox().record(id, p.ecu(), kind, p.image().version(), reason);
    }

    /** Ends the action as failed before anything was installed; the primary ECU carries the report. */
    private void fail(UpdateActionId id, String reason) {
        EcuSerial primary = ab.installedBase().keySet().iterator().next();
        String version = ab.installed(primary).version();
        ab.outbox().record(id, primary, StepKind.FAILED, version, Optional.of(reason));
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("{}: cannot delete {}: {}", vin, file, e.toString());
        }
    }

    private record Planned(VerifiedTarget target, DeploymentImage image, EcuSerial ecu) {}
}
