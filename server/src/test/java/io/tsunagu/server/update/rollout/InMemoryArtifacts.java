package io.tsunagu.server.update.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny {@link ArtifactLookup} for tests until the server wires the real artifact store: artifacts are registered by
 * content and looked up by their SHA-256.
 */
public final class InMemoryArtifacts implements ArtifactLookup {
    private final Map<String, ArtifactInfo> artifacts = new ConcurrentHashMap<>();

    /** Registers an artifact of {@code content} fitting {@code hardwareIds}; returns its SHA-256. */
    public String add(String filename, String content, String... hardwareIds) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(bytes);
        artifacts.put(sha256, new ArtifactInfo(sha256, bytes.length, filename, Set.of(hardwareIds)));
        return sha256;
    }

    @Override
    public Optional<ArtifactInfo> find(String sha256) {
        return Optional.ofNullable(artifacts.get(sha256));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
