package io.tsunagu.server.update.uptane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.FetchedMetadata;
import io.tsunagu.protocol.update.RepositorySigner;
import io.tsunagu.protocol.update.RepositoryTrust;
import io.tsunagu.protocol.update.Role;
import io.tsunagu.protocol.update.RootMetadata;
import io.tsunagu.protocol.update.SignedMetadata;
import io.tsunagu.protocol.update.TrustedState;
import io.tsunagu.protocol.update.UpdateRefusalReason;
import io.tsunagu.protocol.update.UpdateRefusedException;
import io.tsunagu.protocol.update.UpdateVerifier;
import io.tsunagu.protocol.update.VerifiedUpdate;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.testing.ManualClock;
import io.tsunagu.server.testing.TestVins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repositories against a real embedded database and key directory, with a manual clock. */
class UptaneRepositoriesTest {
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
    private static final Vin VIN = TestVins.northAmerican("1TSUPREP", 1);

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(START);
    MetadataDatabase database;
    UptaneRepositories uptane;

    /** The database the repositories keep their metadata in; a reopen within a test gets the same one. */
    MetadataDatabase openDatabase() {
        return MetadataDatabase.embedded(dir);
    }

    private UptaneRepositories open(UptaneConfig config) {
        database = openDatabase();
        uptane = UptaneRepositories.open(
                dir.resolve("keys/uptane"),
                database.dataSource(),
                config,
                ImageArtifact.Lookup.NONE,
                new Metrics(),
                clock);
        return uptane;
    }

    private void reopen() {
        uptane.close();
        database.close();
        open(UptaneConfig.defaults());
    }

    @AfterEach
    void close() {
        uptane.close();
        database.close();
    }

    private static byte[] bytes(SignedMetadata file) {
        return file.toJsonBytes();
    }

    private static FetchedMetadata files(RepositorySigner.Published published, List<SignedMetadata> newRoots) {
        return new FetchedMetadata(
                newRoots.stream().map(SignedMetadata::toJsonBytes).toList(),
                bytes(published.timestamp()),
                bytes(published.snapshot()),
                bytes(published.targets()));
    }

    private TrustedState provisioned() {
        return new TrustedState(
                RepositoryTrust.initial(bytes(uptane.director().newestRoot())),
                RepositoryTrust.initial(bytes(uptane.image().newestRoot())),
                Map.of());
    }

    private VerifiedUpdate verifyDirector(
            TrustedState trusted, RepositorySigner.Published published, List<SignedMetadata> roots) {
        return new UpdateVerifier(List.of(), clock).verify(trusted, files(published, roots), Optional.empty());
    }

    @Test
    void theRefresherReSignsTheTimestampBeforeItExpires() {
        open(UptaneConfig.defaults());
        TrustedState trusted = provisioned();
        RepositorySigner.Published first = uptane.director().current(VIN);

        clock.advance(Duration.ofHours(11));
        int earlyRun = uptane.refreshNow();
        clock.advance(Duration.ofHours(2));
        int dueRun = uptane.refreshNow();
        RepositorySigner.Published refreshed = uptane.director().current(VIN);
        clock.advance(Duration.ofHours(12)); // 25 h after the first timestamp was signed

        assertThat(earlyRun).isZero();
        assertThat(dueRun).isEqualTo(2); // the image repository and the one car
        assertThat(refreshed.timestamp().version()).isEqualTo(2);
        assertThat(refreshed.snapshot()).isEqualTo(first.snapshot());
        assertThat(refreshed.timestamp().expires()).isEqualTo(START.plus(Duration.ofHours(13 + 24)));
        assertThat(verifyDirector(trusted, refreshed, List.of())
                        .newState()
                        .director()
                        .timestampVersion())
                .isEqualTo(2);
        assertThatThrownBy(() -> verifyDirector(trusted, first, List.of()))
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UpdateRefusalReason.EXPIRED_METADATA));
    }

    @Test
    void snapshotAndTargetsAreRepublishedBeforeTheSnapshotExpires() {
        open(UptaneConfig.defaults());
        RepositorySigner.Published first = uptane.image().current();

        for (int i = 0; i < 8; i++) { // four days in half-day steps; the snapshot lives seven
            clock.advance(Duration.ofHours(12));
            uptane.refreshNow();
        }
        RepositorySigner.Published later = uptane.image().current();

        assertThat(later.snapshot().version()).isGreaterThan(first.snapshot().version());
        assertThat(later.targets().version()).isGreaterThan(first.targets().version());
        assertThat(later.snapshot().expires()).isAfter(clock.instant().plus(Duration.ofDays(6)));
        assertThat(later.timestamp().version()).isEqualTo(9);
    }

    @Test
    void theRefresherSignsTheNextRootBeforeTheRootExpires() {
        open(UptaneConfig.defaults());
        TrustedState trusted = provisioned();
        uptane.director().current(VIN);

        clock.advance(Duration.ofDays(183));
        uptane.refreshNow();
        RepositorySigner.Published published = uptane.director().current(VIN);

        assertThat(uptane.director().newestRoot().version()).isEqualTo(2);
        assertThat(uptane.director().root(1)).isPresent();
        VerifiedUpdate update =
                verifyDirector(trusted, published, List.of(uptane.director().newestRoot()));
        assertThat(update.newState().director().rootVersion()).isEqualTo(2);
    }

    @Test
    void keyFilesArePrivateToTheOwnerAndOnePerRole() throws IOException {
        open(UptaneConfig.defaults());

        for (String repository : List.of("image", "director")) {
            Path keys = dir.resolve("keys/uptane").resolve(repository);
            try (Stream<Path> files = Files.list(keys)) {
                List<Path> privateKeys = files.filter(f -> f.toString().endsWith(".key"))
                        .sorted()
                        .toList();
                assertThat(privateKeys)
                        .extracting(f -> f.getFileName().toString())
                        .containsExactly("root-1.key", "snapshot-1.key", "targets-1.key", "timestamp-1.key");
                for (Path key : privateKeys) {
                    assertThat(Files.getPosixFilePermissions(key))
                            .as(key.toString())
                            .isEqualTo(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
                }
            }
        }
    }

    @Test
    void reopeningKeepsKeysRootsAndVersions() {
        open(UptaneConfig.defaults());
        ImageArtifact image = new ImageArtifact("ab".repeat(32), 10, "app.bin", "1.0.0", List.of("hw"));
        uptane.image().add(image, OptionalLong.empty());
        RepositorySigner.Published before = uptane.image().current();
        SignedMetadata root = uptane.image().newestRoot();

        reopen();
        RepositorySigner.Published restored = uptane.image().current();
        uptane.image()
                .add(new ImageArtifact("cd".repeat(32), 10, "app.bin", "1.0.1", List.of("hw")), OptionalLong.empty());
        RepositorySigner.Published next = uptane.image().current();

        assertThat(uptane.image().newestRoot()).isEqualTo(root);
        assertThat(restored).isEqualTo(before);
        assertThat(next.targets().version()).isEqualTo(before.targets().version() + 1);
        assertThat(next.timestamp().version()).isEqualTo(before.timestamp().version() + 1);
        // Signed with the keys root v1 names, i.e. the same keys as before the restart.
        new UpdateVerifier(List.of(), clock)
                .verify(
                        provisioned(),
                        files(uptane.director().current(VIN), List.of()),
                        Optional.of(files(next, List.of())));
    }

    @Test
    void aReleasedImageKeepsItsMetadata() {
        open(UptaneConfig.defaults());
        ImageArtifact image = new ImageArtifact("ef".repeat(32), 10, "app.bin", "build-77", List.of("hw"));

        assertThatThrownBy(() -> uptane.image().add(image, OptionalLong.empty()))
                .isInstanceOfSatisfying(
                        UptaneException.class, e -> assertThat(e.code()).isEqualTo("release_counter_required"));
        uptane.image().add(image, OptionalLong.of(77));
        long version = uptane.image().current().targets().version();
        uptane.image().add(image, OptionalLong.of(77));

        assertThat(uptane.image().current().targets().version()).isEqualTo(version);
        assertThatThrownBy(() -> uptane.image().add(image, OptionalLong.of(78)))
                .isInstanceOfSatisfying(
                        UptaneException.class, e -> assertThat(e.code()).isEqualTo("target_exists"));
    }

    @Test
    void aThresholdOfTwoGivesEachRoleTwoKeysAndTheCarAcceptsTheirSignatures() {
        open(UptaneConfig.defaults().withThreshold(2));

        RootMetadata root = RootMetadata.from(uptane.director().newestRoot());
        VerifiedUpdate update = verifyDirector(provisioned(), uptane.director().current(VIN), List.of());

        for (Role role : Role.values()) {
            assertThat(root.keysOf(role)).hasSize(2);
            assertThat(root.roles().get(role).threshold()).isEqualTo(2);
        }
        assertThat(uptane.director().current(VIN).timestamp().signatures()).hasSize(2);
        assertThat(update.targets()).isEmpty();
    }

    @Test
    void rotationRetiresTheOldKeyFilesAndKeepsTheOldRootsServed() throws IOException {
        open(UptaneConfig.defaults());
        TrustedState trusted = provisioned();
        Path keys = dir.resolve("keys/uptane/director");
        List<String> before = names(keys);

        uptane.director().rotateRoot();
        List<String> after = names(keys);

        assertThat(before).contains("root-1.key", "timestamp-1.key");
        assertThat(after)
                .containsExactly(
                        "root-2.key",
                        "root-2.pub",
                        "snapshot-2.key",
                        "snapshot-2.pub",
                        "targets-2.key",
                        "targets-2.pub",
                        "timestamp-2.key",
                        "timestamp-2.pub");
        assertThat(uptane.director().root(1)).isPresent();
        reopen();
        VerifiedUpdate update = verifyDirector(
                trusted,
                uptane.director().current(VIN),
                List.of(uptane.director().newestRoot()));
        assertThat(update.newState().director().rootVersion()).isEqualTo(2);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theEcuInventoryKeepsOnePrimaryFirstAndReplacesAsAWhole() {
        open(UptaneConfig.defaults());
        new VehicleRegistry(database.dataSource(), clock).register(VIN, "Test EV", "alice", Set.of());
        EcuInventory ecus = uptane.ecus();

        ecus.replace(VIN, List.of(new VehicleEcu("B-2", "bms", false), new VehicleEcu("A-1", "tcu", true)));
        List<VehicleEcu> afterPut = ecus.put(VIN, new VehicleEcu("B-2", "bms-v2", false));
        List<VehicleEcu> replaced = ecus.replace(VIN, List.of(new VehicleEcu("C-3", "gw", true)));

        assertThat(afterPut)
                .containsExactly(new VehicleEcu("A-1", "tcu", true), new VehicleEcu("B-2", "bms-v2", false));
        assertThat(replaced).containsExactly(new VehicleEcu("C-3", "gw", true));
        assertThatThrownBy(() -> ecus.put(VIN, new VehicleEcu("D-4", "x", true)))
                .isInstanceOfSatisfying(
                        UptaneException.class, e -> assertThat(e.code()).isEqualTo("primary_exists"));
        assertThat(ecus.list(VIN)).isEqualTo(replaced);
    }
}
