package io.tsunagu.agent.update;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The simulated car's health check: an image is unhealthy if its first {@value #SCAN_BYTES} bytes contain {@link
 * #FAIL_MARKER}. That lets a test (or a demo) build a "broken release" that installs and boots fine and then fails,
 * also in a child JVM, without any hook in the code under test.
 */
public final class ImageMarkerHealthCheck implements HealthCheck {
    /** Put this ASCII text into an image to make its trial boot fail the health check. */
    public static final String FAIL_MARKER = "TSUNAGU-HEALTH-FAIL";
    /** How much of the image is scanned for the marker. */
    public static final int SCAN_BYTES = 64 * 1024;

    @Override
    public HealthVerdict check(InstalledSoftware trial, Path slotImage) {
        try (InputStream in = Files.newInputStream(slotImage)) {
            String head = new String(in.readNBytes(SCAN_BYTES), StandardCharsets.ISO_8859_1);
            return head.contains(FAIL_MARKER)
                    ? HealthVerdict.failed("image " + trial.version() + " carries the health-fail marker")
                    : HealthVerdict.ok();
        } catch (IOException e) {
            return HealthVerdict.failed("slot image unreadable: " + e.getMessage());
        }
    }
}
