package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One software module of a deployment (hawkBit maps a chunk to a software module).
 *
 * @param part the module type, e.g. {@code os}, {@code firmware}, {@code bApp} (hawkBit's legacy key for
 *     applications)
 * @param version the module's version
 * @param name the module's name
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiChunk(String part, String version, String name, List<DdiArtifact> artifacts) {
    public DdiChunk {
        DdiChecks.require(part, "part");
        DdiChecks.require(version, "version");
        DdiChecks.require(name, "name");
        artifacts = DdiChecks.copy(artifacts);
    }
}
