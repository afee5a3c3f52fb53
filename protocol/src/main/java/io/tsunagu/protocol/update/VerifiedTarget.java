package io.tsunagu.protocol.update;

/**
 * One image an ECU should run, agreed by director and image repository. Download it with a {@link DownloadGuard}.
 *
 * @param sha256 lower-case hex, the same in both repositories
 * @param alreadyInstalled the ECU already runs exactly this image (same SHA-256): nothing to download
 */
public record VerifiedTarget(
        String ecuSerial,
        String hardwareId,
        String targetName,
        long lengthBytes,
        String sha256,
        long releaseCounter,
        boolean alreadyInstalled) {}
