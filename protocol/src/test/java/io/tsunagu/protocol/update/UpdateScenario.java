package io.tsunagu.protocol.update;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A car with two ECUs, a director and an image repository, all signing with fresh Ed25519 keys. */
final class UpdateScenario {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final EcuIdentity PRIMARY = EcuIdentity.of("TCU-0001", "tcu-v2");
    static final EcuIdentity BMS = EcuIdentity.of("BMS-0042", "bms-800v");

    final Map<Role, RoleKeyring> directorKeys = singleKeys();
    final Map<Role, RoleKeyring> imageKeys = singleKeys();
    final RepositorySigner director = RepositorySigner.create(directorKeys, NOW.plus(Duration.ofDays(365)));
    final RepositorySigner image = RepositorySigner.create(imageKeys, NOW.plus(Duration.ofDays(365)));
    final Map<String, TargetInfo> imageTargets = new TreeMap<>();
    final Map<String, TargetInfo> directorTargets = new TreeMap<>();
    TrustedState trusted = new TrustedState(
            RepositoryTrust.initial(director.root().toJsonBytes()),
            RepositoryTrust.initial(image.root().toJsonBytes()),
            Map.of());

    static Map<Role, RoleKeyring> singleKeys() {
        Map<Role, RoleKeyring> keys = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            keys.put(role, RoleKeyring.single(SigningKey.ed25519()));
        }
        return keys;
    }

    static byte[] content(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Releases an image in the image repository (not yet published). */
    TargetInfo release(String name, byte[] content, String hardwareId, long releaseCounter) {
        TargetInfo target =
                TargetInfo.image(name, content.length, Hashes.sha256Hex(content), List.of(hardwareId), releaseCounter);
        imageTargets.put(name, target);
        return target;
    }

    /** The director assigns a released image to one ECU (not yet published). */
    void assign(EcuIdentity ecu, TargetInfo released) {
        directorTargets.put(
                released.name(),
                TargetInfo.director(
                        released.name(),
                        released.lengthBytes(),
                        released.sha256().orElseThrow(),
                        Map.of(ecu.serial(), ecu.hardwareId())));
    }

    void publish() {
        publishImage();
        publishDirector();
    }

    void publishImage() {
        image.publish(imageTargets.values(), days(30), days(7), days(1));
    }

    void publishDirector() {
        director.publish(directorTargets.values(), days(30), days(7), days(1));
    }

    static Instant days(int n) {
        return NOW.plus(Duration.ofDays(n));
    }

    FetchedMetadata directorFiles() {
        return FetchedMetadata.from(director, trusted.director().rootVersion());
    }

    FetchedMetadata imageFiles() {
        return FetchedMetadata.from(image, trusted.image().rootVersion());
    }

    VerifiedUpdate verify() {
        return verifyAt(NOW, directorFiles(), imageFiles());
    }

    VerifiedUpdate verifyAt(Instant now, FetchedMetadata directorFiles, FetchedMetadata imageFiles) {
        return verifier(now).verify(trusted, directorFiles, Optional.of(imageFiles));
    }

    /** Verifies and, as the agent would, persists the new trust. */
    VerifiedUpdate verifyAndTrust() {
        VerifiedUpdate update = verify();
        trusted = update.newState();
        return update;
    }

    /**
     * Director files whose targets are {@code targets} as given, with snapshot and timestamp re-signed by the real
     * keys to vouch for exactly those bytes: isolates a targets-level check from the snapshot hash check.
     */
    FetchedMetadata directorFilesWithTargets(SignedMetadata targets) {
        SignedMetadata snapshot = SignedMetadata.sign(
                new SnapshotMetadata(50, days(7), MetaFile.describing(targets)).toJson(),
                directorKeys.get(Role.SNAPSHOT).keys());
        SignedMetadata timestamp = SignedMetadata.sign(
                new TimestampMetadata(50, days(1), MetaFile.describing(snapshot)).toJson(),
                directorKeys.get(Role.TIMESTAMP).keys());
        return new FetchedMetadata(List.of(), timestamp.toJsonBytes(), snapshot.toJsonBytes(), targets.toJsonBytes());
    }

    static UpdateVerifier verifier(Instant now) {
        return new UpdateVerifier(List.of(PRIMARY, BMS), Clock.fixed(now, ZoneOffset.UTC));
    }
}
