package io.tsunagu.protocol.update;

import static io.tsunagu.protocol.update.UpdateScenario.BMS;
import static io.tsunagu.protocol.update.UpdateScenario.NOW;
import static io.tsunagu.protocol.update.UpdateScenario.PRIMARY;
import static io.tsunagu.protocol.update.UpdateScenario.content;
import static io.tsunagu.protocol.update.UpdateScenario.days;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class UpdateVerifierTest {
    private final UpdateScenario car = new UpdateScenario();

    private static AbstractThrowableAssert<?, ?> assertRefused(ThrowingCallable call, UpdateRefusalReason reason) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(UpdateRefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.code()).isEqualTo(reason.code());
        });
    }

    private TargetInfo releaseAndAssignTcuFirmware() {
        TargetInfo firmware = car.release("tcu-2.4.1.bin", content("tcu firmware 2.4.1"), "tcu-v2", 7);
        car.assign(PRIMARY, firmware);
        return firmware;
    }

    @Test
    void acceptsAConsistentUpdateAndReturnsTargetsAndNewTrust() {
        TargetInfo tcu = releaseAndAssignTcuFirmware();
        TargetInfo bms = car.release("bms-1.2.bin", content("bms 1.2"), "bms-800v", 3);
        car.release("other-hw.bin", content("not for this car"), "infotainment", 1);
        car.assign(BMS, bms);
        car.publish();

        VerifiedUpdate update = car.verify();

        assertThat(update.targets())
                .containsExactly(
                        new VerifiedTarget(
                                BMS.serial(),
                                "bms-800v",
                                "bms-1.2.bin",
                                7,
                                bms.sha256().orElseThrow(),
                                3,
                                false),
                        new VerifiedTarget(
                                PRIMARY.serial(),
                                "tcu-v2",
                                "tcu-2.4.1.bin",
                                18,
                                tcu.sha256().orElseThrow(),
                                7,
                                false));
        RepositoryTrust director = update.newState().director();
        assertThat(List.of(director.timestampVersion(), director.snapshotVersion(), director.targetsVersion()))
                .containsExactly(1L, 1L, 1L);
        assertThat(update.newState().image().targetsVersion()).isEqualTo(1);
    }

    @Test
    void marksImagesTheEcuAlreadyRunsAndLeavesThemOutOfToInstall() {
        releaseAndAssignTcuFirmware();
        car.publish();
        VerifiedTarget target = car.verifyAndTrust().targets().get(0);
        car.trusted = car.trusted.withInstalled(target);
        car.publishDirector();

        VerifiedUpdate again = car.verify();

        assertThat(again.targets())
                .singleElement()
                .satisfies(t -> assertThat(t.alreadyInstalled()).isTrue());
        assertThat(again.toInstall()).isEmpty();
    }

    @Test
    void skipsTheImageRepositoryWhenTheDirectorListsNothing() {
        car.publishDirector();
        VerifiedUpdate update = UpdateScenario.verifier(NOW).verify(car.trusted, car.directorFiles(), Optional.empty());
        assertThat(update.targets()).isEmpty();
        assertThat(update.newState().image()).isEqualTo(car.trusted.image());
        assertThat(update.newState().director().targetsVersion()).isEqualTo(1);
    }

    @Test
    void refusesDirectorTargetsWhoseSignatureDoesNotCoverTheirContent() {
        releaseAndAssignTcuFirmware();
        car.publish();
        String original =
                new String(car.director.current().orElseThrow().targets().toJsonBytes(), StandardCharsets.UTF_8);
        String evil =
                original.replace(car.imageTargets.get("tcu-2.4.1.bin").sha256().orElseThrow(), "ab".repeat(32));
        SignedMetadata forged = SignedMetadata.parse(evil.getBytes(StandardCharsets.UTF_8));

        assertRefused(
                        () -> car.verifyAt(NOW, car.directorFilesWithTargets(forged), car.imageFiles()),
                        UpdateRefusalReason.BAD_SIGNATURE)
                .hasMessageContaining("director targets");
    }

    @Test
    void refusesTargetsBytesThatDifferFromWhatSnapshotVouchesFor() {
        releaseAndAssignTcuFirmware();
        car.publish();
        FetchedMetadata real = car.directorFiles();
        byte[] padded = Arrays.copyOf(real.targets(), real.targets().length);
        padded[padded.length - 1] = ' '; // still the same length, different bytes
        FetchedMetadata changed = new FetchedMetadata(real.newRoots(), real.timestamp(), real.snapshot(), padded);

        assertRefused(() -> car.verifyAt(NOW, changed, car.imageFiles()), UpdateRefusalReason.HASH_MISMATCH);
    }

    @Test
    void refusesTargetsSignedByAKeyRootDoesNotAuthorise() {
        releaseAndAssignTcuFirmware();
        car.publish();
        ObjectNode signed = car.director.current().orElseThrow().targets().signed();
        SignedMetadata byStranger = SignedMetadata.sign(signed, List.of(SigningKey.ed25519()));

        assertRefused(
                () -> car.verifyAt(NOW, car.directorFilesWithTargets(byStranger), car.imageFiles()),
                UpdateRefusalReason.THRESHOLD_NOT_MET);
    }

    @Test
    void refusesMetadataOlderThanTheTrustedVersion() {
        releaseAndAssignTcuFirmware();
        car.publish();
        FetchedMetadata oldDirector = car.directorFiles();
        car.verifyAndTrust();
        car.publishDirector();
        car.verifyAndTrust();

        assertRefused(() -> car.verifyAt(NOW, oldDirector, car.imageFiles()), UpdateRefusalReason.ROLLBACK_METADATA)
                .hasMessageContaining("timestamp v1 is older than trusted v2");
    }

    @Test
    void refusesExpiredMetadata() {
        releaseAndAssignTcuFirmware();
        car.publish();
        // Timestamps live one day: a car whose clock says two days later sees a freeze attack.
        assertRefused(
                        () -> car.verifyAt(NOW.plus(Duration.ofDays(2)), car.directorFiles(), car.imageFiles()),
                        UpdateRefusalReason.EXPIRED_METADATA)
                .hasMessageContaining("director timestamp v1 expired");
    }

    @Test
    void refusesADirectorTargetTheImageRepositoryDoesNotListIdentically() {
        TargetInfo released = releaseAndAssignTcuFirmware();
        car.directorTargets.put(
                released.name(),
                TargetInfo.director(
                        released.name(),
                        released.lengthBytes(),
                        "cd".repeat(32),
                        Map.of(PRIMARY.serial(), PRIMARY.hardwareId())));
        car.publish();
        assertRefused(car::verify, UpdateRefusalReason.MIX_AND_MATCH).hasMessageContaining("image repository says");
    }

    @Test
    void refusesADirectorTargetMissingFromTheImageRepository() {
        TargetInfo unreleased = TargetInfo.image("secret.bin", 4, "ef".repeat(32), List.of("tcu-v2"), 9);
        car.assign(PRIMARY, unreleased);
        car.publish();
        assertRefused(car::verify, UpdateRefusalReason.MIX_AND_MATCH).hasMessageContaining("not in the image");
    }

    @Test
    void refusesSnapshotBytesBeyondTheLengthTimestampSigned() {
        releaseAndAssignTcuFirmware();
        car.publish();
        FetchedMetadata real = car.directorFiles();
        byte[] longer = Arrays.copyOf(real.snapshot(), real.snapshot().length + 4096);
        Arrays.fill(longer, real.snapshot().length, longer.length, (byte) ' '); // valid JSON whitespace
        FetchedMetadata endless = new FetchedMetadata(real.newRoots(), real.timestamp(), longer, real.targets());

        assertRefused(() -> car.verifyAt(NOW, endless, car.imageFiles()), UpdateRefusalReason.ENDLESS_DATA);
    }

    @Test
    void refusesMetadataLargerThanTheConfiguredLimit() {
        car.publish();
        UpdateVerifier small = new UpdateVerifier(
                List.of(PRIMARY), Clock.fixed(NOW, ZoneOffset.UTC), new UpdateVerifier.Limits(32, 100));
        assertRefused(
                () -> small.verify(car.trusted, car.directorFiles(), Optional.of(car.imageFiles())),
                UpdateRefusalReason.ENDLESS_DATA);
    }

    @Test
    void refusesWhenTheDirectorsHardwareIdIsNotTheEcus() {
        TargetInfo firmware = car.release("tcu.bin", content("x"), "tcu-v2", 1);
        car.directorTargets.put(
                "tcu.bin",
                TargetInfo.director("tcu.bin", 1, firmware.sha256().orElseThrow(), Map.of(PRIMARY.serial(), "tcu-v1")));
        car.publish();
        assertRefused(car::verify, UpdateRefusalReason.WRONG_HARDWARE_ID).hasMessageContaining("the ECU is tcu-v2");
    }

    @Test
    void refusesAnImageReleasedForOtherHardware() {
        TargetInfo bmsImage = car.release("bms.bin", content("bms"), "bms-800v", 1);
        car.assign(PRIMARY, bmsImage);
        car.publish();
        assertRefused(car::verify, UpdateRefusalReason.WRONG_HARDWARE_ID).hasMessageContaining("is for hardware");
    }

    @Test
    void refusesATargetForAnEcuThisCarDoesNotHave() {
        TargetInfo firmware = car.release("tcu.bin", content("x"), "tcu-v2", 1);
        car.assign(EcuIdentity.of("TCU-9999", "tcu-v2"), firmware);
        car.publish();
        assertRefused(car::verify, UpdateRefusalReason.UNKNOWN_ECU).hasMessageContaining("TCU-9999");
    }

    @Test
    void refusesAnImageWithALowerReleaseCounterThanInstalled() {
        releaseAndAssignTcuFirmware();
        car.publish();
        car.trusted = car.trusted.withInstalled(
                new VerifiedTarget(PRIMARY.serial(), "tcu-v2", "tcu-2.5.0.bin", 9, "00".repeat(32), 8, false));
        assertRefused(car::verify, UpdateRefusalReason.ROLLBACK_IMAGE).hasMessageContaining("release counter 7");
    }

    @Test
    void refusesMalformedMetadata() {
        car.publish();
        FetchedMetadata real = car.directorFiles();
        FetchedMetadata garbage = new FetchedMetadata(
                List.of(), "{\"signed\": 1.5}".getBytes(StandardCharsets.UTF_8), real.snapshot(), real.targets());
        assertRefused(() -> car.verifyAt(NOW, garbage, car.imageFiles()), UpdateRefusalReason.MALFORMED_METADATA);

        FetchedMetadata swapped = new FetchedMetadata(List.of(), real.snapshot(), real.snapshot(), real.targets());
        assertRefused(() -> car.verifyAt(NOW, swapped, car.imageFiles()), UpdateRefusalReason.MALFORMED_METADATA)
                .hasMessageContaining("expected timestamp metadata, got snapshot");
    }

    @Test
    void refusesADirectorTargetWithoutEcuBinding() {
        TargetInfo firmware = car.release("tcu.bin", content("x"), "tcu-v2", 1);
        car.directorTargets.put("tcu.bin", firmware); // the image repository's entry, with no ecu_identifiers
        car.publish();
        assertRefused(car::verify, UpdateRefusalReason.MALFORMED_METADATA).hasMessageContaining("names no ECU");
    }

    @Test
    void refusesASnapshotWhoseVersionIsNotTheOneTimestampNames() {
        car.publish();
        FetchedMetadata real = car.directorFiles();
        SignedMetadata snapshot = SignedMetadata.parse(real.snapshot());
        MetaFile lie = new MetaFile(
                5,
                MetaFile.describing(snapshot).lengthBytes(),
                MetaFile.describing(snapshot).hashes());
        SignedMetadata timestamp = SignedMetadata.sign(
                new TimestampMetadata(9, days(1), lie).toJson(),
                car.directorKeys.get(Role.TIMESTAMP).keys());
        FetchedMetadata inconsistent =
                new FetchedMetadata(List.of(), timestamp.toJsonBytes(), real.snapshot(), real.targets());

        assertRefused(
                        () -> car.verifyAt(NOW, inconsistent, car.imageFiles()),
                        UpdateRefusalReason.INCONSISTENT_METADATA)
                .hasMessageContaining("snapshot is v1 but timestamp names v5");
    }
}
