package io.tsunagu.protocol.update;

import static io.tsunagu.protocol.update.UpdateScenario.NOW;
import static io.tsunagu.protocol.update.UpdateScenario.days;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RootRotationTest {
    private final UpdateScenario car = new UpdateScenario();

    private static AbstractThrowableAssert<?, ?> assertRefused(ThrowingCallable call, UpdateRefusalReason reason) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static Map<Role, RoleKeyring> withRoot(Map<Role, RoleKeyring> base, RoleKeyring root) {
        Map<Role, RoleKeyring> next = new EnumMap<>(base);
        next.put(Role.ROOT, root);
        return next;
    }

    private static RoleKeyring twoOfThree() {
        return new RoleKeyring(List.of(SigningKey.ed25519(), SigningKey.ed25519(), SigningKey.p256()), 2);
    }

    /** Director root v{@code version} over {@code keys}, signed by exactly {@code signers}. */
    private static SignedMetadata root(long version, Map<Role, RoleKeyring> keys, List<SigningKey> signers) {
        Map<Role, List<TufKey>> roleKeys = new EnumMap<>(Role.class);
        Map<Role, Integer> thresholds = new EnumMap<>(Role.class);
        keys.forEach((role, ring) -> {
            roleKeys.put(role, ring.keys().stream().map(SigningKey::publicKey).toList());
            thresholds.put(role, ring.threshold());
        });
        return SignedMetadata.sign(
                RootMetadata.of(version, days(365), roleKeys, thresholds).toJson(), signers);
    }

    private FetchedMetadata directorWithRoots(SignedMetadata... roots) {
        FetchedMetadata published = car.directorFiles();
        return new FetchedMetadata(
                List.of(roots).stream().map(SignedMetadata::toJsonBytes).toList(),
                published.timestamp(),
                published.snapshot(),
                published.targets());
    }

    private VerifiedUpdate verifyDirector(FetchedMetadata director) {
        return UpdateScenario.verifier(NOW).verify(car.trusted, director, Optional.empty());
    }

    @Test
    void followsAChainFromOneOfOneToTwoOfThreeToRotatedKeys() {
        RoleKeyring first = twoOfThree();
        car.director.rotateRoot(withRoot(car.directorKeys, first), days(365));
        RoleKeyring second = twoOfThree();
        Map<Role, RoleKeyring> rotated = withRoot(UpdateScenario.singleKeys(), second);
        car.director.rotateRoot(rotated, days(365));
        car.publishDirector(); // signed with the rotated timestamp, snapshot and targets keys

        VerifiedUpdate update = verifyDirector(car.directorFiles());

        assertThat(car.directorFiles().newRoots()).hasSize(2);
        assertThat(update.newState().director().rootVersion()).isEqualTo(3);
        RootMetadata trusted = RootMetadata.from(update.newState().director().root());
        assertThat(trusted.roles().get(Role.ROOT).threshold()).isEqualTo(2);
        assertThat(trusted.keysOf(Role.ROOT))
                .containsExactlyElementsOf(
                        second.keys().stream().map(SigningKey::publicKey).toList());
    }

    @Test
    void refusesANewRootNotSignedByTheTrustedRootKeys() {
        car.publishDirector();
        RoleKeyring usurper = RoleKeyring.single(SigningKey.ed25519());
        SignedMetadata v2 = root(2, withRoot(car.directorKeys, usurper), usurper.keys());

        assertRefused(() -> verifyDirector(directorWithRoots(v2)), UpdateRefusalReason.INVALID_ROOT_ROTATION)
                .hasMessageContaining("keys of trusted root v1");
    }

    @Test
    void refusesANewRootNotSignedByItsOwnKeys() {
        car.publishDirector();
        RoleKeyring next = twoOfThree();
        List<SigningKey> oldAndOneNew = List.of(
                car.directorKeys.get(Role.ROOT).keys().get(0), next.keys().get(0));
        SignedMetadata v2 = root(2, withRoot(car.directorKeys, next), oldAndOneNew);

        assertRefused(() -> verifyDirector(directorWithRoots(v2)), UpdateRefusalReason.INVALID_ROOT_ROTATION)
                .hasMessageContaining("its own keys")
                .hasMessageContaining("1 valid signature(s)");
    }

    @Test
    void refusesARootThatSkipsAVersion() {
        car.publishDirector();
        SignedMetadata v3 =
                root(3, car.directorKeys, car.directorKeys.get(Role.ROOT).keys());
        assertRefused(() -> verifyDirector(directorWithRoots(v3)), UpdateRefusalReason.INVALID_ROOT_ROTATION)
                .hasMessageContaining("skips versions");
    }

    @Test
    void refusesAReplayedOlderRoot() {
        car.director.rotateRoot(car.directorKeys, days(365));
        car.publishDirector();
        car.trusted = verifyDirector(car.directorFiles()).newState();
        assertRefused(
                        () -> verifyDirector(
                                directorWithRoots(car.director.rootsAfter(0).get(0))),
                        UpdateRefusalReason.ROLLBACK_METADATA)
                .hasMessageContaining("root v1 is not newer than trusted root v2");
    }

    @Test
    void capsTheNumberOfRootRotationsPerUpdate() {
        for (int i = 0; i < 3; i++) {
            car.director.rotateRoot(car.directorKeys, days(365));
        }
        car.publishDirector();
        UpdateVerifier strict = new UpdateVerifier(
                List.of(UpdateScenario.PRIMARY),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new UpdateVerifier.Limits(2, 1 << 20));
        assertRefused(
                        () -> strict.verify(car.trusted, car.directorFiles(), Optional.empty()),
                        UpdateRefusalReason.INVALID_ROOT_ROTATION)
                .hasMessageContaining("limit of 2");
    }

    @Test
    void acceptsAnExpiredIntermediateRootButNotAnExpiredFinalOne() {
        car.director.rotateRoot(car.directorKeys, NOW.minusSeconds(60));
        car.director.rotateRoot(car.directorKeys, days(365));
        car.publishDirector();
        assertThat(verifyDirector(car.directorFiles()).newState().director().rootVersion())
                .isEqualTo(3);

        car.director.rotateRoot(car.directorKeys, NOW);
        assertRefused(() -> verifyDirector(car.directorFiles()), UpdateRefusalReason.EXPIRED_METADATA)
                .hasMessageContaining("root v4");
    }

    @Test
    void forgetsFastForwardedVersionsWhenTimestampKeysRotate() {
        car.publishDirector();
        RepositoryTrust trust = car.trusted.director();
        // As if an attacker with the old timestamp key had pushed the car to timestamp v1000.
        car.trusted = new TrustedState(
                new RepositoryTrust(trust.root(), 1000, trust.snapshotVersion(), trust.targetsVersion()),
                car.trusted.image(),
                Map.of());
        assertRefused(() -> verifyDirector(car.directorFiles()), UpdateRefusalReason.ROLLBACK_METADATA);

        Map<Role, RoleKeyring> recovered = new EnumMap<>(car.directorKeys);
        recovered.put(Role.TIMESTAMP, RoleKeyring.single(SigningKey.ed25519()));
        car.director.rotateRoot(recovered, days(365));
        car.director.refreshTimestamp(days(1));

        assertThat(verifyDirector(car.directorFiles()).newState().director().timestampVersion())
                .isEqualTo(2);
    }

    @Test
    void countsSeveralSignaturesByOneKeyOnce() {
        SigningKey k1 = SigningKey.ed25519();
        SigningKey k2 = SigningKey.ed25519();
        Map<Role, RoleKeyring> keys = new EnumMap<>(car.directorKeys);
        keys.put(Role.TARGETS, new RoleKeyring(List.of(k1, k2), 2));
        car.director.rotateRoot(keys, days(365));
        car.publishDirector();
        car.trusted = verifyDirector(car.directorFiles()).newState();

        SignedMetadata once = SignedMetadata.sign(
                car.director.current().orElseThrow().targets().signed(), List.of(k1));
        SignedMetadata twice = once.withSignature(once.signatures().get(0));
        assertThat(twice.signatures()).hasSize(2);
        assertRefused(() -> verifyDirector(car.directorFilesWithTargets(twice)), UpdateRefusalReason.THRESHOLD_NOT_MET)
                .hasMessageContaining("1 valid signature(s) from distinct authorised keys, threshold 2");

        SignedMetadata both = once.withSignature(k2.sign(once.canonicalSigned()));
        assertThat(verifyDirector(car.directorFilesWithTargets(both))
                        .newState()
                        .director()
                        .targetsVersion())
                .isEqualTo(1);
    }
}
