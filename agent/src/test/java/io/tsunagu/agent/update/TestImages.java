package io.tsunagu.agent.update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Deterministic test images (seeded random bytes behind a short text header) and their SHA-256. */
final class TestImages {
    private TestImages() {}

    /** {@code lengthBytes} bytes for {@code version}; the same arguments always give the same bytes. */
    static byte[] image(String version, int lengthBytes, boolean healthFail) {
        byte[] bytes = new byte[lengthBytes];
        new Random(version.hashCode()).nextBytes(bytes);
        String header = "image " + version + (healthFail ? " " + ImageMarkerHealthCheck.FAIL_MARKER : "") + "\n";
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, Math.min(head.length, lengthBytes));
        return bytes;
    }

    static Path write(Path file, byte[] image) {
        try {
            return Files.write(file, image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static InstallRequest request(String actionId, EcuSerial ecu, String version, byte[] image) {
        return new InstallRequest(UpdateActionId.of(actionId), ecu, version, sha256(image), image.length);
    }
}
