package io.tsunagu.server.update.uptane;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the image repository needs to know of a stored software image (the artifact store's record, kept this small so
 * this package does not depend on the store's classes).
 *
 * @param sha256 64 lower-case hex digits
 * @param filename the name a device stores it under
 * @param version the operator's version string; see {@link ReleaseCounters}
 * @param hardwareIds the ECU hardware ids it fits, at least one
 */
public record ImageArtifact(
        String sha256, long lengthBytes, String filename, String version, List<String> hardwareIds) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ImageArtifact {
        hardwareIds = List.copyOf(hardwareIds);
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        if (lengthBytes <= 0) {
            throw new IllegalArgumentException("an image has at least one byte");
        }
        if (hardwareIds.isEmpty()) {
            throw new IllegalArgumentException("an image fits at least one hardware id");
        }
        if (filename.isBlank() || filename.contains("/")) {
            throw new IllegalArgumentException("filename must be a non-empty name without '/'");
        }
    }

    /**
     * The TUF target name, the same in both repositories: {@code <sha256>/<filename>}. The digest makes it unique
     * (two builds called {@code app.bin} are two targets) and tells the car the download address.
     */
    public String targetName() {
        return sha256 + "/" + filename;
    }

    /** How the image repository finds stored images by digest; the server wires it to the artifact store. */
    @FunctionalInterface
    public interface Lookup {
        Optional<ImageArtifact> find(String sha256);

        /** Finds nothing (no artifact store wired). */
        Lookup NONE = sha256 -> Optional.empty();
    }
}
