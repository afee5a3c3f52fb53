package io.tsunagu.agent.update;

import static io.tsunagu.agent.update.StepKind.COMMITTED;
import static io.tsunagu.agent.update.StepKind.FAILED;
import static io.tsunagu.agent.update.StepKind.INSTALLED;
import static io.tsunagu.agent.update.StepKind.INSTALLING;
import static io.tsunagu.agent.update.StepKind.REBOOTING;
import static io.tsunagu.agent.update.StepKind.ROLLED_BACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.agent.AgentException;
import io.tsunagu.protocol.Vin;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbUpdateSystemTest {
    static final Vin VIN = Vin.of("WVWZZZ1JZXW000001");
    static final EcuSerial MAIN = EcuSerial.of("main-ecu");
    static final EcuSerial BMS = EcuSerial.of("bms-ecu");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private AbUpdateConfig.Builder config() {
        return AbUpdateConfig.builder(VIN, dir.resolve("ab"))
                .ecu(MAIN, "1.0.0")
                .ecu(BMS, "7.0")
                .clock(CLOCK);
    }

    private static List<StepKind> kinds(List<UpdateStep> steps) {
        return steps.stream().map(UpdateStep::kind).toList();
    }

    @Test
    void aNewCarRunsItsFactoryImageFromSlotA() {
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            InstalledSoftware main = ab.installed(MAIN);
            assertThat(main.slot()).isEqualTo(Slot.A);
            assertThat(main.version()).isEqualTo("1.0.0");
            assertThat(main.sha256()).hasSize(64);
            assertThat(ab.installedBase()).containsOnlyKeys(BMS, MAIN);
            assertThat(ab.installedBase().get(BMS).version()).isEqualTo("7.0");
            assertThat(ab.outbox().pending()).isEmpty();
        }
    }

    @Test
    void installsIntoTheInactiveSlotRebootsCommitsAndReportsEveryStep() {
        byte[] image = TestImages.image("2.0.0", 300_000, false);
        List<Long> progress = new ArrayList<>();
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            UpdateOutcome outcome = ab.install(
                    TestImages.request("act-1", MAIN, "2.0.0", image),
                    new ByteArrayInputStream(image),
                    (written, total) -> progress.add(written));

            assertThat(outcome.succeeded()).isTrue();
            assertThat(ab.installed(MAIN))
                    .isEqualTo(new InstalledSoftware(MAIN, Slot.B, "2.0.0", TestImages.sha256(image), image.length));
            assertThat(ab.installed(BMS).version()).isEqualTo("7.0");
            assertThat(progress).isSorted().last().isEqualTo((long) image.length);
            List<UpdateStep> steps = ab.outbox().pending();
            assertThat(kinds(steps)).containsExactly(INSTALLING, INSTALLED, REBOOTING, COMMITTED);
            assertThat(steps).extracting(UpdateStep::seq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(steps)
                    .extracting(UpdateStep::stepId)
                    .containsExactly("act-1/1", "act-1/2", "act-1/3", "act-1/4");
            assertThat(steps).allSatisfy(s -> {
                assertThat(s.version()).isEqualTo("2.0.0");
                assertThat(s.ecu()).isEqualTo(MAIN);
                assertThat(s.atMs()).isEqualTo(CLOCK.millis());
            });
            assertThat(Files.readAllBytes(dir.resolve("ab/main-ecu/slot-b.img")))
                    .isEqualTo(image);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theNextInstallGoesToTheOtherSlotAndKeepsThePreviousAsFallback() {
        byte[] v2 = TestImages.image("2.0.0", 10_000, false);
        byte[] v3 = TestImages.image("3.0.0", 10_000, false);
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            ab.install(
                    TestImages.request("act-2", MAIN, "2.0.0", v2), new ByteArrayInputStream(v2), InstallProgress.NONE);
            ab.install(
                    TestImages.request("act-3", MAIN, "3.0.0", v3), new ByteArrayInputStream(v3), InstallProgress.NONE);
            assertThat(ab.installed(MAIN).slot()).isEqualTo(Slot.A);
            assertThat(ab.installed(MAIN).version()).isEqualTo("3.0.0");
        }
        try (AbUpdateSystem rebooted = AbUpdateSystem.boot(config().build())) {
            assertThat(rebooted.installed(MAIN).version()).isEqualTo("3.0.0");
        }
    }

    @Test
    void aFailedHealthCheckRollsBackToThePreviousSlot() {
        byte[] broken = TestImages.image("2.0.0-broken", 50_000, true);
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            UpdateOutcome outcome = ab.install(
                    TestImages.request("act-bad", MAIN, "2.0.0-broken", broken),
                    new ByteArrayInputStream(broken),
                    InstallProgress.NONE);

            assertThat(outcome.kind()).isEqualTo(ROLLED_BACK);
            assertThat(outcome.reason())
                    .hasValueSatisfying(r ->
                            assertThat(r).startsWith("health_check_failed: ").contains("health-fail marker"));
            assertThat(ab.installed(MAIN).version()).isEqualTo("1.0.0");
            assertThat(ab.installed(MAIN).slot()).isEqualTo(Slot.A);
            assertThat(kinds(ab.outbox().pending())).containsExactly(INSTALLING, INSTALLED, REBOOTING, ROLLED_BACK);

            byte[] fixed = TestImages.image("2.0.1", 50_000, false);
            ab.install(
                    TestImages.request("act-fix", MAIN, "2.0.1", fixed),
                    new ByteArrayInputStream(fixed),
                    InstallProgress.NONE);
            assertThat(ab.installed(MAIN))
                    .extracting(InstalledSoftware::slot, InstalledSoftware::version)
                    .containsExactly(Slot.B, "2.0.1");
        }
    }

    @Test
    void aHealthCheckThatThrowsCountsAsUnhealthy() {
        byte[] image = TestImages.image("2.0.0", 5_000, false);
        AbUpdateConfig cfg = config().healthCheck((trial, file) -> {
                    throw new IllegalStateException("watchdog fired");
                })
                .build();
        try (AbUpdateSystem ab = AbUpdateSystem.boot(cfg)) {
            UpdateOutcome outcome = ab.install(
                    TestImages.request("act-1", MAIN, "2.0.0", image),
                    new ByteArrayInputStream(image),
                    InstallProgress.NONE);
            assertThat(outcome.kind()).isEqualTo(ROLLED_BACK);
            assertThat(outcome.reason()).hasValueSatisfying(r -> assertThat(r).contains("watchdog fired"));
            assertThat(ab.installed(MAIN).version()).isEqualTo("1.0.0");
        }
    }

    /** A trial boot that never gets to its health check (a crash loop) uses up the attempts; then the bootloader
     * falls back. The crash is an exception thrown by the hook at {@link InstallPoint#TRIAL_BOOTED}. */
    @Test
    void exhaustedBootAttemptsRollBackToThePreviousSlot() {
        byte[] image = TestImages.image("2.0.0", 5_000, false);
        AtomicLong crashes = new AtomicLong();
        AbUpdateConfig crashLoop = config().maxBootAttempts(2)
                .hook((point, ecu) -> {
                    if (point == InstallPoint.TRIAL_BOOTED) {
                        crashes.incrementAndGet();
                        throw new SimulatedCrash();
                    }
                })
                .build();
        AbUpdateSystem first = AbUpdateSystem.boot(crashLoop);
        InstallRequest request = TestImages.request("act-loop", MAIN, "2.0.0", image);
        assertThatThrownBy(() -> first.install(request, new ByteArrayInputStream(image), InstallProgress.NONE))
                .isInstanceOf(SimulatedCrash.class);
        assertThatThrownBy(() -> AbUpdateSystem.boot(crashLoop)).isInstanceOf(SimulatedCrash.class);

        try (AbUpdateSystem third = AbUpdateSystem.boot(crashLoop)) {
            assertThat(crashes).hasValue(2);
            assertThat(third.installed(MAIN).version()).isEqualTo("1.0.0");
            assertThat(third.outcome(request.actionId(), MAIN)).hasValueSatisfying(o -> {
                assertThat(o.kind()).isEqualTo(ROLLED_BACK);
                assertThat(o.reason()).contains("boot_attempts_exhausted");
            });
            assertThat(kinds(third.outbox().pending())).containsExactly(INSTALLING, INSTALLED, REBOOTING, ROLLED_BACK);
        }
    }

    @Test
    void anImageWhoseHashDiffersFailsAndLeavesTheCarAsItWas() {
        byte[] image = TestImages.image("2.0.0", 5_000, false);
        InstallRequest lying = new InstallRequest(
                UpdateActionId.of("act-1"), MAIN, "2.0.0", TestImages.sha256(new byte[] {1}), image.length);
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            UpdateOutcome outcome = ab.install(lying, new ByteArrayInputStream(image), InstallProgress.NONE);
            assertThat(outcome.kind()).isEqualTo(FAILED);
            assertThat(outcome.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("hash_mismatch"));
            assertThat(ab.installed(MAIN).version()).isEqualTo("1.0.0");
            assertThat(dir.resolve("ab/main-ecu/slot-b.img")).doesNotExist();
            assertThat(kinds(ab.outbox().pending())).containsExactly(INSTALLING, FAILED);
        }
    }

    @Test
    void neverWritesMoreOrAcceptsFewerBytesThanAnnounced() {
        byte[] image = TestImages.image("2.0.0", 5_000, false);
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            InstallRequest shorter = new InstallRequest(
                    UpdateActionId.of("act-long"), MAIN, "2.0.0", TestImages.sha256(image), image.length - 1);
            InstallRequest longer = new InstallRequest(
                    UpdateActionId.of("act-short"), MAIN, "2.0.0", TestImages.sha256(image), image.length + 1);
            assertThat(ab.install(shorter, new ByteArrayInputStream(image), InstallProgress.NONE)
                            .reason())
                    .hasValueSatisfying(r -> assertThat(r).startsWith("image_too_long"));
            assertThat(ab.install(longer, new ByteArrayInputStream(image), InstallProgress.NONE)
                            .reason())
                    .hasValueSatisfying(r -> assertThat(r).startsWith("image_too_short"));
            assertThat(ab.installed(MAIN).version()).isEqualTo("1.0.0");
        }
    }

    @Test
    void anActionThatEndedIsNotInstalledAgain() {
        byte[] image = TestImages.image("2.0.0", 5_000, false);
        InstallRequest request = TestImages.request("act-1", MAIN, "2.0.0", image);
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            UpdateOutcome first = ab.install(request, new ByteArrayInputStream(image), InstallProgress.NONE);
            UpdateOutcome again = ab.install(request, new ByteArrayInputStream(image), InstallProgress.NONE);
            assertThat(again).isEqualTo(first);
            assertThat(ab.installed(MAIN).slot()).isEqualTo(Slot.B);
            assertThat(ab.outbox().pending()).hasSize(4);
        }
    }

    @Test
    void refusesAnEcuTheCarDoesNotHave() {
        byte[] image = TestImages.image("2.0.0", 100, false);
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            InstallRequest request = TestImages.request("act-1", EcuSerial.of("radio"), "2.0.0", image);
            assertThatThrownBy(() -> ab.install(request, new ByteArrayInputStream(image), InstallProgress.NONE))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo("unknown_ecu"));
        }
    }

    @Test
    void installsFromAFile() {
        byte[] image = TestImages.image("2.0.0", 70_000, false);
        Path file = TestImages.write(dir.resolve("download.img"), image);
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            assertThat(ab.install(TestImages.request("act-1", BMS, "2.0.0", image), file, InstallProgress.NONE)
                            .succeeded())
                    .isTrue();
            assertThat(ab.installed(BMS).version()).isEqualTo("2.0.0");
            assertThat(ab.installed(MAIN).version()).isEqualTo("1.0.0");
        }
    }

    /** Stands for a crash of the booted trial software before its health check (no kill needed in-process). */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash of the trial boot");
        }
    }
}
