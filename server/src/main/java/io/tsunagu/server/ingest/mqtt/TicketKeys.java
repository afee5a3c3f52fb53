package io.tsunagu.server.ingest.mqtt;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.tsunagu.protocol.TsunaguException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's session ticket keys: the current key encrypts new tickets, the previous one still decrypts (so a
 * ticket issued just before a rotation stays usable for its lifetime). Generated with a {@link SecureRandom} at the
 * first start and kept in one file readable by the server's user only (0600), so tickets survive a restart; rotated
 * every {@code rotation}. The key material is never logged.
 *
 * <p>File: one line per key, current first: {@code v1 <created epoch ms> <base64 of name | HMAC key | AES key>}
 * (16 + 16 + 16 bytes, OpenSSL's ticket key layout). Written to a temporary file with 0600 and moved into place, so a
 * crash leaves the old or the new keys, never half a file.
 */
final class TicketKeys {
    static final String FILE_NAME = "tls-ticket-keys";
    private static final Logger LOG = LoggerFactory.getLogger(TicketKeys.class);
    private static final int KEY_BYTES = OpenSslSessionTicketKey.TICKET_KEY_SIZE;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** One key and when it became current. */
    record Key(Instant created, byte[] material) {
        OpenSslSessionTicketKey openSsl() {
            int part = OpenSslSessionTicketKey.NAME_SIZE;
            return new OpenSslSessionTicketKey(
                    Arrays.copyOfRange(material, 0, part),
                    Arrays.copyOfRange(material, part, part + OpenSslSessionTicketKey.HMAC_KEY_SIZE),
                    Arrays.copyOfRange(material, part + OpenSslSessionTicketKey.HMAC_KEY_SIZE, KEY_BYTES));
        }
    }

    private final Path file;
    private final Duration rotation;
    private final Clock clock;
    private final SecureRandom random;
    private Key current;
    private Optional<Key> previous;

    private TicketKeys(
            Path file, Duration rotation, Clock clock, SecureRandom random, Key current, Optional<Key> previous) {
        this.file = file;
        this.rotation = rotation;
        this.clock = clock;
        this.random = random;
        this.current = current;
        this.previous = previous;
    }

    /** The keys of {@code dir}, created there on first use; rotated at once if the current one is due. */
    static TicketKeys open(Path dir, Duration rotation, Clock clock) {
        Path file = dir.resolve(FILE_NAME);
        SecureRandom random = new SecureRandom();
        try {
            Files.createDirectories(dir);
            if (!Files.exists(file)) {
                TicketKeys keys = new TicketKeys(file, rotation, clock, random, fresh(random, clock), Optional.empty());
                keys.write();
                LOG.info("MQTT gateway: new TLS session ticket key generated in {}", file);
                return keys;
            }
            restrict(file);
            List<Key> stored = read(file);
            TicketKeys keys = new TicketKeys(
                    file,
                    rotation,
                    clock,
                    random,
                    stored.getFirst(),
                    stored.stream().skip(1).findFirst());
            keys.rotateIfDue();
            return keys;
        } catch (IOException | IllegalArgumentException e) {
            throw new TsunaguException(
                    "tls_config_invalid", "cannot read or write the TLS ticket keys in " + file + ": " + e, false, e);
        }
    }

    /** The keys for OpenSSL: the current first (it encrypts), then the previous (decrypts only). */
    synchronized OpenSslSessionTicketKey[] openSsl() {
        List<OpenSslSessionTicketKey> keys = new ArrayList<>(2);
        keys.add(current.openSsl());
        previous.ifPresent(key -> keys.add(key.openSsl()));
        return keys.toArray(OpenSslSessionTicketKey[]::new);
    }

    /**
     * Makes a new current key if the current one is {@code rotation} old; the current becomes the previous and the
     * previous is forgotten (its tickets then get a full handshake). True if it rotated.
     */
    synchronized boolean rotateIfDue() {
        if (clock.instant().isBefore(current.created().plus(rotation))) {
            return false;
        }
        Key old = current;
        current = fresh(random, clock);
        previous = Optional.of(old);
        try {
            write();
        } catch (IOException e) {
            // Keep serving with the new keys in memory; after a restart the file's older keys apply again.
            LOG.warn("MQTT gateway: rotated TLS ticket key not saved to {}: {}", file, e.toString());
        }
        LOG.info("MQTT gateway: TLS session ticket key rotated (the previous one still decrypts)");
        return true;
    }

    private static Key fresh(SecureRandom random, Clock clock) {
        byte[] material = new byte[KEY_BYTES];
        random.nextBytes(material);
        return new Key(clock.instant(), material);
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder();
        line(text, current);
        previous.ifPresent(key -> line(text, key));
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(
                temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly())) {
            channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void line(StringBuilder text, Key key) {
        text.append("v1 ")
                .append(key.created().toEpochMilli())
                .append(' ')
                .append(Base64.getEncoder().encodeToString(key.material()))
                .append('\n');
    }

    private static List<Key> read(Path file) throws IOException {
        List<Key> keys = new ArrayList<>(2);
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] parts = line.strip().split(" ");
            if (parts.length != 3 || !"v1".equals(parts[0])) {
                throw new IllegalArgumentException("unexpected line " + (keys.size() + 1) + " in the key file");
            }
            byte[] material = Base64.getDecoder().decode(parts[2]);
            if (material.length != KEY_BYTES) {
                throw new IllegalArgumentException("a ticket key must have " + KEY_BYTES + " bytes");
            }
            keys.add(new Key(Instant.ofEpochMilli(Long.parseLong(parts[1])), material));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the key file holds no key");
        }
        return keys;
    }

    private static FileAttribute<?>[] ownerOnly() {
        return posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    /** A key file others can read (copied, restored from a backup) is tightened to 0600 before use. */
    private static void restrict(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            LOG.warn("MQTT gateway: {} was readable by others; permissions set to 0600", file);
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
