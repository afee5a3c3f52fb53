package io.tsunagu.server.update.uptane.internal;

import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.update.Role;
import io.tsunagu.protocol.update.SigningKey;
import io.tsunagu.server.update.uptane.UptaneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of one repository in one directory ({@code <data>/keys/uptane/image} or {@code .../director}):
 * {@code <role>-N.key} (Ed25519, PKCS#8 PEM, mode 0600) and {@code <role>-N.pub} (X.509 PEM). Which keys sign is
 * decided by the newest root, not by the file names: a key the root does not name is never used, and is deleted after
 * a rotation. Key material is never logged; only key ids are.
 *
 * <p>Not thread-safe; the owning repository serialises calls.
 */
public final class RoleKeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RoleKeyFiles.class);
    private static final Pattern NAME = Pattern.compile("(root|targets|snapshot|timestamp)-(\\d{1,9})\\.key");

    private final Path dir;

    public RoleKeyFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Every key on disk, by key id. */
    public Map<String, SigningKey> load() {
        Map<String, SigningKey> keys = new LinkedHashMap<>();
        for (Path file : keyFiles()) {
            SigningKey key = read(file);
            keys.put(key.keyId(), key);
        }
        return keys;
    }

    /** Creates {@code count} new Ed25519 keys for {@code role}, numbered after the ones on disk. */
    public List<SigningKey> generate(Role role, int count) {
        int next = highestNumber(role) + 1;
        List<SigningKey> created = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                KeyPair pair = CommandKeys.ed25519();
                String base = role.type() + "-" + (next + i);
                // Private half first: a crash in between leaves a lone .key, which load() reports.
                KeyFile.writePem(
                        dir.resolve(base + ".key"),
                        "PRIVATE KEY",
                        pair.getPrivate().getEncoded(),
                        true);
                KeyFile.writePem(
                        dir.resolve(base + ".pub"),
                        "PUBLIC KEY",
                        pair.getPublic().getEncoded(),
                        false);
                SigningKey key = SigningKey.of(pair);
                LOG.info("Created Uptane {} key {} in {}", role.type(), key.keyId(), dir);
                created.add(key);
            }
        } catch (IOException e) {
            throw unavailable("cannot write Uptane keys in " + dir + ": " + e.getMessage(), e);
        }
        return created;
    }

    /** Deletes the key files whose key id is not in {@code keep} (keys a rotation retired). */
    public void retainOnly(Set<String> keep) {
        for (Path file : keyFiles()) {
            SigningKey key = read(file);
            if (!keep.contains(key.keyId())) {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(publicFile(file));
                    LOG.info("Deleted retired Uptane key {} from {}", key.keyId(), dir);
                } catch (IOException e) {
                    LOG.warn("Cannot delete retired Uptane key file {}; delete it by hand", file, e);
                }
            }
        }
    }

    private List<Path> keyFiles() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> NAME.matcher(f.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw unavailable("cannot list Uptane keys in " + dir + ": " + e.getMessage(), e);
        }
    }

    private int highestNumber(Role role) {
        int highest = 0;
        for (Path file : keyFiles()) {
            Matcher m = NAME.matcher(file.getFileName().toString());
            if (m.matches() && m.group(1).equals(role.type())) {
                highest = Math.max(highest, Integer.parseInt(m.group(2)));
            }
        }
        return highest;
    }

    private static SigningKey read(Path privateFile) {
        Path publicFile = publicFile(privateFile);
        try {
            if (!KeyFile.ownerOnly(privateFile)) {
                LOG.warn("Uptane key {} is readable by other users; restrict it with chmod 600", privateFile);
            }
            KeyFactory factory = KeyFactory.getInstance(CommandKeys.ED25519);
            PrivateKey privateKey =
                    factory.generatePrivate(new PKCS8EncodedKeySpec(KeyFile.readPem(privateFile, "PRIVATE KEY")));
            PublicKey publicKey =
                    factory.generatePublic(new X509EncodedKeySpec(KeyFile.readPem(publicFile, "PUBLIC KEY")));
            SigningKey key = SigningKey.of(new KeyPair(publicKey, privateKey));
            byte[] probe = "tsunagu-uptane-key-match".getBytes(StandardCharsets.US_ASCII);
            if (!key.publicKey().verifies(probe, key.sign(probe).bytes())) {
                throw new UptaneException(
                        UptaneException.Kind.UNAVAILABLE,
                        "uptane_keys_unavailable",
                        privateFile + " is not the private key of " + publicFile);
            }
            return key;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // The message names files only, never key material.
            throw unavailable("cannot read Uptane key " + privateFile + " (with " + publicFile.getFileName() + ")", e);
        }
    }

    private static Path publicFile(Path privateFile) {
        String name = privateFile.getFileName().toString();
        return privateFile.resolveSibling(name.substring(0, name.length() - ".key".length()) + ".pub");
    }

    private static UptaneException unavailable(String message, Throwable cause) {
        return new UptaneException(UptaneException.Kind.UNAVAILABLE, "uptane_keys_unavailable", message, cause);
    }
}
