package io.tsunagu.server.update.uptane;

import io.tsunagu.protocol.update.RepositorySigner;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.TargetInfo;
import io.tsunagu.protocol.update.TargetsMetadata;
import io.tsunagu.server.update.uptane.internal.SigningRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uptane's image repository (Standard 5.2.3): every released image as a target named {@link
 * ImageArtifact#targetName()}, with its length, SHA-256, {@code hardware_ids} and {@code release_counter}. Adding an
 * image publishes new targets, snapshot and timestamp; the refresher re-signs them before they expire. One repository
 * for the whole fleet. Thread-safe.
 */
public final class ImageRepository {
    private static final Logger LOG = LoggerFactory.getLogger(ImageRepository.class);
    /** The repository's name in storage and in the key directory. */
    public static final String NAME = "image";

    private static final String SCOPE = "";

    private final SigningRepository repository;
    private final ImageArtifact.Lookup artifacts;

    ImageRepository(SigningRepository repository, ImageArtifact.Lookup artifacts) {
        this.repository = repository;
        this.artifacts = artifacts;
    }

    /**
     * Adds a stored image (found through the artifact lookup) as a target.
     *
     * @throws UptaneException NOT_FOUND ({@code image_not_found}) if no artifact has this digest; see {@link
     *     #add(ImageArtifact, OptionalLong)}
     */
    public TargetInfo add(String sha256, OptionalLong releaseCounter) {
        ImageArtifact artifact = artifacts
                .find(sha256)
                .orElseThrow(
                        () -> UptaneException.notFound("image_not_found", "no stored image has SHA-256 " + sha256));
        return add(artifact, releaseCounter);
    }

    /**
     * Adds an image as a target and publishes, unless the same target is listed already (then nothing changes).
     *
     * @param releaseCounter the explicit counter; if empty, {@link ReleaseCounters#fromVersion} of its version
     * @throws UptaneException INVALID ({@code release_counter_required}) if neither gives a counter; CONFLICT ({@code
     *     target_exists}) if the image is listed already with another counter or other hardware ids (signed metadata
     *     of a released image does not change)
     */
    public synchronized TargetInfo add(ImageArtifact artifact, OptionalLong releaseCounter) {
        long counter = counterOf(artifact, releaseCounter);
        TargetInfo target = TargetInfo.image(
                artifact.targetName(), artifact.lengthBytes(), artifact.sha256(), artifact.hardwareIds(), counter);
        List<TargetInfo> targets = new ArrayList<>(targets());
        Optional<TargetInfo> listed =
                targets.stream().filter(t -> t.name().equals(target.name())).findFirst();
        if (listed.isPresent()) {
            if (sameImage(listed.get(), target)) {
                return listed.get();
            }
            throw UptaneException.conflict(
                    "target_exists",
                    "image " + target.name() + " is released already with release counter "
                            + listed.get().releaseCounter().orElse(0) + " and hardware "
                            + listed.get().hardwareIds()
                            + "; released metadata does not change");
        }
        targets.add(target);
        RepositorySigner.Published published = repository.publish(SCOPE, targets);
        LOG.info(
                "image repository: added {} (release counter {}, hardware {}); targets v{}",
                target.name(),
                counter,
                artifact.hardwareIds(),
                published.targets().version());
        return target;
    }

    /** The target of the image with this digest, if released; adds it from the artifact store if it is stored. */
    public Optional<TargetInfo> findOrAdd(String sha256) {
        Optional<TargetInfo> listed = target(sha256);
        if (listed.isPresent()) {
            return listed;
        }
        return artifacts.find(sha256).map(a -> add(a, OptionalLong.empty()));
    }

    /** The released target with this digest, if any. */
    public Optional<TargetInfo> target(String sha256) {
        return targets().stream()
                .filter(t -> t.sha256().filter(sha256::equals).isPresent())
                .findFirst();
    }

    /** Every released target, by name. */
    public Collection<TargetInfo> targets() {
        return TargetsMetadata.from(current().targets()).targets().values();
    }

    /** The current targets, snapshot and timestamp, re-signed first if due: what a car is served. */
    public RepositorySigner.Published current() {
        return repository.fresh(SCOPE, List::of);
    }

    /** Root version {@code version}, if it exists. */
    public Optional<SignedMetadata> root(long version) {
        return repository.root(version);
    }

    /** The newest root: what a car is provisioned with. */
    public SignedMetadata newestRoot() {
        return repository.newestRoot();
    }

    /** New keys for every role and the next root, signed by old and new root keys; metadata is re-signed at once. */
    public SignedMetadata rotateRoot() {
        SignedMetadata root = repository.rotateRoot();
        current();
        return root;
    }

    int refreshDue() {
        return repository.refreshDue(1);
    }

    /** Field by field: parsed JSON numbers are not the same node types as built ones. */
    private static boolean sameImage(TargetInfo a, TargetInfo b) {
        return a.lengthBytes() == b.lengthBytes()
                && a.hashes().equals(b.hashes())
                && a.hardwareIds().equals(b.hardwareIds())
                && a.releaseCounter().equals(b.releaseCounter());
    }

    private static long counterOf(ImageArtifact artifact, OptionalLong explicit) {
        if (explicit.isPresent()) {
            if (explicit.getAsLong() < 0) {
                throw UptaneException.invalid("invalid_release_counter", "a release counter is not negative");
            }
            return explicit.getAsLong();
        }
        return ReleaseCounters.fromVersion(artifact.version())
                .orElseThrow(() -> UptaneException.invalid(
                        "release_counter_required",
                        "version '" + artifact.version() + "' of " + artifact.filename()
                                + " is not MAJOR[.MINOR[.PATCH]]; give an explicit releaseCounter"));
    }
}
