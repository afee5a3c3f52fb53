package io.tsunagu.agent.update.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.agent.AgentException;
import io.tsunagu.protocol.update.InstalledImage;
import io.tsunagu.protocol.update.RepositoryTrust;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.TrustedState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The primary's Uptane trust ({@link TrustedState}) on disk: one small JSON file beside the A/B store, replaced
 * atomically (write a temp file, force it, rename over the old one, force the folder), so that a crash at any point
 * leaves either the old or the new state, never a torn one. TUF 5.3-5.6 need the newest root and the highest accepted
 * version of each role to survive restarts; otherwise a restarted car could be rolled back to older metadata.
 *
 * <p>Format version 1: roots are kept as the exact signed bytes (base64), so the signatures stay checkable as they
 * were received. A file of an unknown version is refused, never guessed at. Not thread-safe: one update client owns
 * it.
 */
public final class TrustedStateFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int VERSION = 1;

    private final Path file;

    public TrustedStateFile(Path file) {
        this.file = file;
    }

    /** The persisted state, if the file exists. */
    public Optional<TrustedState> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(Files.readAllBytes(file));
            if (node.path("v").asInt() != VERSION) {
                throw corrupt("unknown format version " + node.path("v"));
            }
            Map<String, InstalledImage> installed = new HashMap<>();
            node.path("installed").properties().forEach(e -> installed.put(e.getKey(), image(e.getValue())));
            return Optional.of(new TrustedState(trust(node.path("director")), trust(node.path("image")), installed));
        } catch (IOException | RuntimeException e) {
            if (e instanceof AgentException agent) {
                throw agent;
            }
            throw corrupt(file + ": " + e);
        }
    }

    /** Replaces the persisted state atomically and durably. */
    public void save(TrustedState state) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("v", VERSION);
        node.set("director", trust(state.director()));
        node.set("image", trust(state.image()));
        ObjectNode installed = node.putObject("installed");
        state.installed().forEach((serial, image) -> installed.set(serial, image(image)));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel out = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(MAPPER.writeValueAsBytes(node)));
                out.force(true);
            }
            move(temp);
            forceFolder();
        } catch (IOException e) {
            throw new AgentException("trusted_state_unwritable", "cannot write " + file + ": " + e, true, e);
        }
    }

    private void move(Path temp) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void forceFolder() {
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a folder for reading; the rename is then as durable as the OS makes it.
        }
    }

    private static ObjectNode trust(RepositoryTrust trust) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("root", Base64.getEncoder().encodeToString(trust.root().toJsonBytes()));
        node.put("timestamp", trust.timestampVersion());
        node.put("snapshot", trust.snapshotVersion());
        node.put("targets", trust.targetsVersion());
        return node;
    }

    private static RepositoryTrust trust(JsonNode node) {
        if (!node.path("root").isTextual()) {
            throw corrupt("missing root");
        }
        SignedMetadata root = SignedMetadata.parse(
                Base64.getDecoder().decode(node.path("root").asText()));
        return new RepositoryTrust(
                root,
                node.path("timestamp").asLong(),
                node.path("snapshot").asLong(),
                node.path("targets").asLong());
    }

    private static ObjectNode image(InstalledImage image) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("targetName", image.targetName());
        node.put("releaseCounter", image.releaseCounter());
        node.put("sha256", image.sha256());
        return node;
    }

    private static InstalledImage image(JsonNode node) {
        return new InstalledImage(
                node.path("targetName").asText(),
                node.path("releaseCounter").asLong(),
                node.path("sha256").asText());
    }

    private static AgentException corrupt(String problem) {
        return new AgentException("trusted_state_corrupt", "Uptane trusted state file: " + problem, false);
    }
}
