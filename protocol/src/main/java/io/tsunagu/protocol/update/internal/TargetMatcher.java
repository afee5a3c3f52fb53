package io.tsunagu.protocol.update.internal;

import io.tsunagu.protocol.update.EcuIdentity;
import io.tsunagu.protocol.update.InstalledImage;
import io.tsunagu.protocol.update.TargetInfo;
import io.tsunagu.protocol.update.TargetsMetadata;
import io.tsunagu.protocol.update.UpdateRefusalReason;
import io.tsunagu.protocol.update.UpdateRefusedException;
import io.tsunagu.protocol.update.VerifiedTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Uptane cross-check of verified director targets against verified image-repository targets (Uptane Standard
 * 5.4.4.2, steps "check that the targets match" and the ECU checks): same name, length and hashes in both; the
 * director's ECU serials exist on this car, each at most once; hardware ids agree; release counters never go down.
 */
public final class TargetMatcher {
    private final Map<String, EcuIdentity> ecus;
    private final Map<String, InstalledImage> installed;

    public TargetMatcher(Map<String, EcuIdentity> ecus, Map<String, InstalledImage> installed) {
        this.ecus = ecus;
        this.installed = installed;
    }

    /** Checks every director target; the result is ordered by target name, then ECU serial. */
    public List<VerifiedTarget> match(TargetsMetadata director, TargetsMetadata image) {
        Set<String> seenSerials = new HashSet<>();
        List<VerifiedTarget> result = new ArrayList<>();
        for (TargetInfo wanted : new TreeMap<>(director.targets()).values()) {
            Map<String, String> ecuHardware = wanted.ecuIdentifiers();
            if (ecuHardware.isEmpty()) {
                throw Fields.malformed("director target " + wanted.name() + " names no ECU (custom.ecu_identifiers)");
            }
            TargetInfo released = sameImage(wanted, image);
            long counter = released.releaseCounter()
                    .orElseThrow(() -> Fields.malformed("image target " + released.name() + " has no release_counter"));
            List<String> hardwareIds = released.hardwareIds();
            if (hardwareIds.isEmpty()) {
                throw Fields.malformed("image target " + released.name() + " has no hardware_ids");
            }
            ecuHardware.forEach((serial, hardwareId) -> {
                if (!seenSerials.add(serial)) {
                    throw Fields.malformed("director assigns more than one target to ECU " + serial);
                }
                result.add(forEcu(serial, hardwareId, released, hardwareIds, counter));
            });
        }
        return result;
    }

    private static TargetInfo sameImage(TargetInfo wanted, TargetsMetadata image) {
        String sha256 = wanted.sha256()
                .orElseThrow(() -> Fields.malformed("director target " + wanted.name() + " has no sha256"));
        TargetInfo released = image.targets().get(wanted.name());
        if (released == null) {
            throw refuse(
                    UpdateRefusalReason.MIX_AND_MATCH,
                    "director target " + wanted.name() + " is not in the image repository");
        }
        boolean hashesAgree = sha256.equals(released.sha256().orElse(""))
                && wanted.hashes().entrySet().stream()
                        .allMatch(h -> h.getValue().equals(released.hashes().getOrDefault(h.getKey(), h.getValue())));
        if (released.lengthBytes() != wanted.lengthBytes() || !hashesAgree) {
            throw refuse(
                    UpdateRefusalReason.MIX_AND_MATCH,
                    "target " + wanted.name() + ": director says " + wanted.lengthBytes() + " bytes " + wanted.hashes()
                            + ", image repository says " + released.lengthBytes() + " bytes " + released.hashes());
        }
        return released;
    }

    private VerifiedTarget forEcu(
            String serial, String directorHardwareId, TargetInfo released, List<String> hardwareIds, long counter) {
        EcuIdentity ecu = ecus.get(serial);
        if (ecu == null) {
            throw refuse(UpdateRefusalReason.UNKNOWN_ECU, "director names ECU " + serial + ", not one of this car's");
        }
        if (!directorHardwareId.equals(ecu.hardwareId())) {
            throw refuse(
                    UpdateRefusalReason.WRONG_HARDWARE_ID,
                    "director targets ECU " + serial + " as hardware " + directorHardwareId + ", the ECU is "
                            + ecu.hardwareId());
        }
        if (!hardwareIds.contains(ecu.hardwareId())) {
            throw refuse(
                    UpdateRefusalReason.WRONG_HARDWARE_ID,
                    "image " + released.name() + " is for hardware " + hardwareIds + ", ECU " + serial + " is "
                            + ecu.hardwareId());
        }
        InstalledImage current = installed.get(serial);
        if (current != null && counter < current.releaseCounter()) {
            throw refuse(
                    UpdateRefusalReason.ROLLBACK_IMAGE,
                    "image " + released.name() + " has release counter " + counter + ", ECU " + serial + " runs "
                            + current.targetName() + " at " + current.releaseCounter());
        }
        String sha256 = released.sha256().orElseThrow();
        boolean already = current != null && current.sha256().equals(sha256);
        return new VerifiedTarget(
                serial, ecu.hardwareId(), released.name(), released.lengthBytes(), sha256, counter, already);
    }

    private static UpdateRefusedException refuse(UpdateRefusalReason reason, String message) {
        return new UpdateRefusedException(reason, message);
    }
}
