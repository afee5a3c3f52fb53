package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One file of a chunk. Link names as hawkBit's: {@link #DOWNLOAD} and {@link #MD5SUM} over HTTPS, {@link
 * #DOWNLOAD_HTTP} and {@link #MD5SUM_HTTP} over plain HTTP; suricatta takes {@code download} and falls back to {@code
 * download-http}. Downloads honour HTTP range requests (RFC 9110), so an interrupted download resumes.
 *
 * @param size length in bytes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiArtifact(
        String filename,
        DdiArtifactHash hashes,
        long size,

        @JsonProperty("_links") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, DdiLink> links) {
    public static final String DOWNLOAD = "download";
    public static final String DOWNLOAD_HTTP = "download-http";
    public static final String MD5SUM = "md5sum";
    public static final String MD5SUM_HTTP = "md5sum-http";

    public DdiArtifact {
        DdiChecks.require(filename, "filename");
        DdiChecks.require(hashes, "hashes");
        if (size < 0) {
            throw new IllegalArgumentException("artifact size must not be negative, got " + size);
        }
        links = DdiChecks.orderedCopy(links);
    }
}
