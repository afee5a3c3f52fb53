package io.tsunagu.server.update.uptane;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.RepositorySigner;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.TargetInfo;
import io.tsunagu.server.update.uptane.internal.SigningRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uptane's director (Standard 5.2.3, 5.3): per car, targets metadata that binds the images of the car's current update
 * action to its ECUs ({@code ecu_identifiers}: serial to hardware id). One root and one set of keys for the fleet;
 * targets, snapshot and timestamp per car, whose versions only grow. A car without an action gets signed, fresh
 * targets that list nothing ("nothing to install"). Thread-safe.
 */
public final class DirectorRepository {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorRepository.class);
    /** The repository's name in storage and in the key directory. */
    public static final String NAME = "director";

    private final SigningRepository repository;
    private final ImageRepository images;
    private final EcuInventory ecus;

    DirectorRepository(SigningRepository repository, ImageRepository images, EcuInventory ecus) {
        this.repository = repository;
        this.images = images;
        this.ecus = ecus;
    }

    /**
     * Checks that the images fit the car's ECUs and returns the director targets they would become; signs nothing.
     * Rollouts call this to refuse an action for a car whose ECUs do not fit.
     *
     * @throws UptaneException CONFLICT {@code no_ecus} (the car's ECUs are unknown), {@code ecu_mismatch} (no ECU has
     *     the hardware id, or the image is not built for it), {@code ecu_conflict} (two images for one ECU); NOT_FOUND
     *     {@code image_not_found} (the image is neither released nor stored)
     */
    public List<TargetInfo> bind(Vin vin, List<ImageAssignment> assignments) {
        List<VehicleEcu> inventory = ecus.list(vin);
        if (inventory.isEmpty() && !assignments.isEmpty()) {
            throw UptaneException.conflict(
                    "no_ecus", "vehicle " + vin + " has no known ECUs; set them with PUT /api/v1/vehicles/{vin}/ecus");
        }
        Map<String, TargetInfo> images = new LinkedHashMap<>();
        Map<String, Map<String, String>> ecusByTarget = new LinkedHashMap<>();
        Map<String, String> targetOfEcu = new TreeMap<>();
        for (ImageAssignment assignment : assignments) {
            TargetInfo image = images.computeIfAbsent(assignment.sha256(), this::image);
            for (VehicleEcu ecu : matchingEcus(vin, inventory, image, assignment)) {
                String previous = targetOfEcu.put(ecu.serial(), image.name());
                if (previous != null && !previous.equals(image.name())) {
                    throw UptaneException.conflict(
                            "ecu_conflict",
                            "ECU " + ecu.serial() + " of " + vin + " would get two images: " + previous + " and "
                                    + image.name());
                }
                ecusByTarget.computeIfAbsent(image.name(), n -> new TreeMap<>()).put(ecu.serial(), ecu.hardwareId());
            }
        }
        List<TargetInfo> targets = new ArrayList<>();
        images.values()
                .forEach(image -> targets.add(TargetInfo.director(
                        image.name(),
                        image.lengthBytes(),
                        image.sha256().orElseThrow(),
                        ecusByTarget.get(image.name()))));
        return targets;
    }

    /**
     * Binds the images to the car's ECUs ({@link #bind}) and signs them as the car's next director targets, with new
     * snapshot and timestamp.
     */
    public RepositorySigner.Published assign(Vin vin, List<ImageAssignment> assignments) {
        List<TargetInfo> targets = bind(vin, assignments);
        RepositorySigner.Published published = repository.publish(vin.value(), targets);
        LOG.info(
                "director: {} now lists {} (targets v{})",
                vin,
                targets.stream()
                        .map(t -> t.name() + " -> " + t.ecuIdentifiers().keySet())
                        .collect(Collectors.joining(", ")),
                published.targets().version());
        return published;
    }

    /** Signs targets listing nothing for the car (its action ended or was cancelled). */
    public RepositorySigner.Published clear(Vin vin) {
        RepositorySigner.Published published = repository.publish(vin.value(), List.of());
        LOG.info(
                "director: {} lists no targets (targets v{})",
                vin,
                published.targets().version());
        return published;
    }

    /** The car's current files, re-signed first if due; a car never seen before gets empty targets. */
    public RepositorySigner.Published current(Vin vin) {
        return repository.fresh(vin.value(), List::of);
    }

    public Optional<SignedMetadata> root(long version) {
        return repository.root(version);
    }

    /** The newest root: what a car is provisioned with. */
    public SignedMetadata newestRoot() {
        return repository.newestRoot();
    }

    /** New keys for every role and the next root; every car's metadata is re-signed when next fetched or refreshed. */
    public SignedMetadata rotateRoot() {
        return repository.rotateRoot();
    }

    int refreshDue(int limit) {
        return repository.refreshDue(limit);
    }

    private TargetInfo image(String sha256) {
        return images.findOrAdd(sha256)
                .orElseThrow(() -> UptaneException.notFound(
                        "image_not_found", "image " + sha256 + " is neither released nor stored"));
    }

    private static List<VehicleEcu> matchingEcus(
            Vin vin, List<VehicleEcu> inventory, TargetInfo image, ImageAssignment assignment) {
        List<String> built = image.hardwareIds();
        if (assignment.hardwareId().isPresent()
                && !built.contains(assignment.hardwareId().get())) {
            throw UptaneException.conflict(
                    "ecu_mismatch",
                    "image " + image.name() + " is built for " + built + ", not for hardware id "
                            + assignment.hardwareId().get());
        }
        List<VehicleEcu> matching = inventory.stream()
                .filter(e -> assignment.hardwareId().map(e.hardwareId()::equals).orElse(built.contains(e.hardwareId())))
                .toList();
        if (matching.isEmpty()) {
            throw UptaneException.conflict(
                    "ecu_mismatch",
                    "vehicle " + vin + " has no ECU with hardware id "
                            + assignment.hardwareId().map(List::of).orElse(built) + " for image " + image.name()
                            + " (its ECUs: " + describe(inventory) + ")");
        }
        return matching;
    }

    private static String describe(List<VehicleEcu> inventory) {
        return inventory.stream().map(e -> e.serial() + "=" + e.hardwareId()).collect(Collectors.joining(", "));
    }
}
