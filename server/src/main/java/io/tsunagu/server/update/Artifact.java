package io.tsunagu.server.update;

import java.time.Instant;
import java.util.List;

/**
 * A stored software image: its content's SHA-256 and length, and what an operator said about it when uploading.
 * Content-addressed: two uploads of the same bytes are one artifact.
 *
 * @param sha256 digest of the content; also its HTTP entity tag
 * @param lengthBytes length of the content in bytes (&gt; 0)
 * @param filename file name a device stores it under (hawkBit DDI serves it under this name)
 * @param version the software version the image carries
 * @param hardwareIds the hardware (ECU) ids the image fits, sorted, at least one (Uptane matches on these)
 * @param releaseNotes free text, possibly empty
 * @param createdAt when it was first stored
 * @param createdBy the API principal who uploaded it first
 */
public record Artifact(
        Sha256 sha256,
        long lengthBytes,
        String filename,
        String version,
        List<String> hardwareIds,
        String releaseNotes,
        Instant createdAt,
        String createdBy) {

    public Artifact {
        hardwareIds = List.copyOf(hardwareIds);
        if (lengthBytes <= 0) {
            throw new IllegalArgumentException("an artifact has at least one byte, got " + lengthBytes);
        }
    }

    /** The whole content as a range. */
    public ByteRange whole() {
        return new ByteRange(0, lengthBytes);
    }

    /** True if the metadata an upload gives is the metadata stored (a repeated upload, not a conflicting one). */
    public boolean describedBy(ArtifactUpload upload) {
        return filename.equals(upload.filename())
                && version.equals(upload.version())
                && hardwareIds.equals(upload.hardwareIds())
                && releaseNotes.equals(upload.releaseNotes());
    }
}
