package io.tsunagu.server.update.rollout;

import java.time.Instant;
import java.util.List;

/**
 * A set of software images for one car model (hawkBit: distribution set), immutable once created. Versions are the
 * operator's strings; {@code (name, version)} is unique.
 *
 * @param id hawkBit-style numeric id
 * @param model the car model it is for (the registry's {@code model})
 * @param modules one module per ECU image, in the operator's order
 */
public record Distribution(
        long id,
        String name,
        String version,
        String model,
        String description,
        List<SoftwareModule> modules,
        String createdBy,
        Instant createdAt) {
    public Distribution {
        modules = List.copyOf(modules);
    }

    /**
     * One ECU's image (hawkBit: software module).
     *
     * @param hardwareId the ECU hardware id it fits (Uptane's hardware identifier)
     * @param type e.g. {@code firmware}, {@code application}
     */
    public record SoftwareModule(
            String hardwareId, String name, String type, String version, List<Artifact> artifacts) {
        public SoftwareModule {
            artifacts = List.copyOf(artifacts);
        }
    }

    /** An artifact by content address, with the length and file name the artifact store holds. */
    public record Artifact(String sha256, String filename, long lengthBytes) {}
}
