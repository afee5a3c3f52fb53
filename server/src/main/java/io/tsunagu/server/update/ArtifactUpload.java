package io.tsunagu.server.update;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an uploader says about an image, validated here; the content itself is streamed separately. Names are
 * restricted to URL-safe characters because devices fetch artifacts by file name (hawkBit DDI) and match them by
 * hardware id (Uptane).
 *
 * @param filename 1–255 of {@code A-Z a-z 0-9 . _ + -}, not starting with a dot
 * @param version 1–128 of {@code A-Z a-z 0-9 . _ + ~ : -}, starting with a letter or digit
 * @param hardwareIds 1–64 ids, each 1–128 of {@code A-Z a-z 0-9 . _ : / + -}; stored sorted and without duplicates
 * @param releaseNotes free text up to 4,000 characters (may be empty)
 * @param expectedSha256 the digest the uploader expects; a mismatch rejects the upload and stores nothing
 * @param createdBy the API principal uploading
 */
public record ArtifactUpload(
        String filename,
        String version,
        List<String> hardwareIds,
        String releaseNotes,
        Optional<Sha256> expectedSha256,
        String createdBy) {
    /** Longest release notes accepted, in characters. */
    public static final int MAX_RELEASE_NOTES = 4000;

    private static final int MAX_HARDWARE_IDS = 64;
    private static final Pattern FILENAME = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,254}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~:-]{0,127}");
    private static final Pattern HARDWARE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/+-]{0,127}");

    public ArtifactUpload {
        require(
                FILENAME,
                filename,
                "invalid_filename",
                "'filename' must be 1-255 of A-Z a-z 0-9 . _ + - (no leading dot)");
        require(VERSION, version, "invalid_version", "'version' must be 1-128 of A-Z a-z 0-9 . _ + ~ : -");
        if (hardwareIds.isEmpty() || hardwareIds.size() > MAX_HARDWARE_IDS) {
            throw ArtifactException.invalid(
                    "invalid_hardware_ids",
                    "give 1-" + MAX_HARDWARE_IDS + " hardware ids the image fits, got " + hardwareIds.size());
        }
        for (String id : hardwareIds) {
            require(HARDWARE_ID, id, "invalid_hardware_ids", "a hardware id must be 1-128 of A-Z a-z 0-9 . _ : / + -");
        }
        hardwareIds = List.copyOf(new TreeSet<>(hardwareIds));
        if (releaseNotes.length() > MAX_RELEASE_NOTES) {
            throw ArtifactException.invalid(
                    "invalid_release_notes",
                    "release notes must be at most " + MAX_RELEASE_NOTES + " characters, got " + releaseNotes.length());
        }
        if (createdBy.isBlank()) {
            throw new IllegalArgumentException("createdBy must name the uploading principal");
        }
    }

    private static void require(Pattern pattern, String value, String code, String rule) {
        if (value.isEmpty()) {
            throw ArtifactException.invalid(code, rule + "; it is missing");
        }
        if (!pattern.matcher(value).matches()) {
            String shown = value.length() <= 60 ? value : value.substring(0, 60) + "…";
            throw ArtifactException.invalid(code, rule + "; got '" + shown + "'");
        }
    }
}
