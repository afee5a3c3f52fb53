package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code hashes} of an artifact, lower-case hex. hawkBit sends all three; suricatta requires {@code sha1} and, built
 * with SSL support, compares it with the SHA-1 of what it downloaded, so it must be the real SHA-1 of the file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiArtifactHash(String sha1, String md5, String sha256) {
    public DdiArtifactHash {
        DdiChecks.require(sha1, "sha1");
        DdiChecks.require(md5, "md5");
        DdiChecks.require(sha256, "sha256");
    }
}
