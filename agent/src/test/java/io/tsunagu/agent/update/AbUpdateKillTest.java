package io.tsunagu.agent.update;

import static io.tsunagu.agent.update.StepKind.COMMITTED;
import static io.tsunagu.agent.update.StepKind.FAILED;
import static io.tsunagu.agent.update.StepKind.INSTALLED;
import static io.tsunagu.agent.update.StepKind.INSTALLING;
import static io.tsunagu.agent.update.StepKind.REBOOTING;
import static io.tsunagu.agent.update.StepKind.ROLLED_BACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill-during-install recovery (issue 5 acceptance): the car runs in a child JVM ({@link AbUpdateChild}), is killed
 * with SIGKILL at a named point of the install, and is then booted again from the same folder. After that boot the
 * car must run a working version and the outbox must report what truly happened.
 */
class AbUpdateKillTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final String NEW_VERSION = "2.0.0";
    private static final String ACTION = "act-kill";

    @TempDir
    Path dir;

    private Path abDir() {
        return dir.resolve("ab");
    }

    @Test
    void killedJustAfterTheInstallStartedTheCarStaysOnItsVersionAndReportsInterrupted() {
        killAt(InstallPoint.SLOT_WRITE_STARTED, false);
        assertRecoveredTo(AbUpdateChild.FACTORY_VERSION, Slot.A, INSTALLING, FAILED);
    }

    @Test
    void killedHalfWayThroughTheSlotWriteTheHalfImageIsDiscarded() {
        byte[] image = killAt(InstallPoint.SLOT_HALF_WRITTEN, false);
        Path slotB = abDir().resolve("main-ecu/slot-b.img");
        assertThat(slotB).exists();
        assertThat(size(slotB)).as("killed mid-write").isBetween(1L, image.length - 1L);

        assertRecoveredTo(AbUpdateChild.FACTORY_VERSION, Slot.A, INSTALLING, FAILED);
        assertThat(slotB).doesNotExist();
    }

    @Test
    void killedAfterTheWriteButBeforeTheSwitchTheCarStaysOnItsVersion() {
        killAt(InstallPoint.SLOT_WRITTEN, false);
        assertRecoveredTo(AbUpdateChild.FACTORY_VERSION, Slot.A, INSTALLING, FAILED);
    }

    @Test
    void killedAfterTheSwitchBeforeTheRebootTheNextBootCommitsTheTrial() {
        killAt(InstallPoint.TRIAL_MARKED, false);
        assertRecoveredTo(NEW_VERSION, Slot.B, INSTALLING, INSTALLED, REBOOTING, COMMITTED);
    }

    @Test
    void killedAfterTheSwitchWithABrokenImageTheNextBootRollsBack() {
        killAt(InstallPoint.TRIAL_MARKED, true);
        assertRecoveredTo(AbUpdateChild.FACTORY_VERSION, Slot.A, INSTALLING, INSTALLED, REBOOTING, ROLLED_BACK);
    }

    @Test
    void killedInTheTrialBootBeforeTheHealthCheckTheNextBootTriesAgainAndCommits() {
        killAt(InstallPoint.TRIAL_BOOTED, false);
        assertRecoveredTo(NEW_VERSION, Slot.B, INSTALLING, INSTALLED, REBOOTING, COMMITTED);
    }

    @Test
    void killedBetweenAFailedHealthCheckAndTheRollbackTheNextBootRollsBack() {
        killAt(InstallPoint.HEALTH_CHECKED, true);
        assertRecoveredTo(AbUpdateChild.FACTORY_VERSION, Slot.A, INSTALLING, INSTALLED, REBOOTING, ROLLED_BACK);
    }

    @Test
    void killedAfterTheCommitBeforeItWasReportedTheCommitIsReportedOnce() {
        killAt(InstallPoint.RESOLVED, false);
        assertRecoveredTo(NEW_VERSION, Slot.B, INSTALLING, INSTALLED, REBOOTING, COMMITTED);
    }

    private void assertRecoveredTo(String version, Slot slot, StepKind... steps) {
        try (AbUpdateSystem restarted =
                AbUpdateSystem.boot(AbUpdateChild.config(abDir()).build())) {
            InstalledSoftware running = restarted.installed(AbUpdateChild.ECU);
            assertThat(running.version()).isEqualTo(version);
            assertThat(running.slot()).isEqualTo(slot);
            List<UpdateStep> pending = restarted.outbox().pending();
            assertThat(pending).extracting(UpdateStep::kind).containsExactly(steps);
            assertThat(pending).extracting(UpdateStep::stepId).doesNotHaveDuplicates();
            UpdateOutcome outcome = restarted
                    .outcome(UpdateActionId.of(ACTION), AbUpdateChild.ECU)
                    .orElseThrow();
            assertThat(outcome.kind()).isEqualTo(steps[steps.length - 1]);
            if (outcome.kind() == FAILED) {
                assertThat(outcome.reason()).hasValue("interrupted");
            }
        }
        try (AbUpdateSystem again =
                AbUpdateSystem.boot(AbUpdateChild.config(abDir()).build())) {
            assertThat(again.outbox().pending())
                    .as("a second boot changes nothing")
                    .hasSize(steps.length);
            assertThat(again.installed(AbUpdateChild.ECU).version()).isEqualTo(version);
        }
    }

    /** Runs the child until it reports {@code point}, then kills it with SIGKILL; returns the image it installed. */
    private byte[] killAt(InstallPoint point, boolean healthFail) {
        byte[] image = TestImages.image(NEW_VERSION, 1 << 20, healthFail);
        Path imageFile = TestImages.write(dir.resolve("image.bin"), image);
        Path marker = dir.resolve("reached");
        Path log = dir.resolve("child.log");
        Process child = launch(
                List.of(abDir().toString(), point.name(), imageFile.toString(), NEW_VERSION, ACTION, marker.toString()),
                log);
        try {
            await("child reaches " + point)
                    .atMost(CHILD_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!child.isAlive() && !Files.exists(marker)) {
                            throw new AssertionError("child exited with " + child.exitValue() + " before " + point
                                    + "; log:\n" + Files.readString(log, StandardCharsets.UTF_8));
                        }
                        return Files.exists(marker);
                    });
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            awaitExit(child);
        }
        return image;
    }

    private static Process launch(List<String> args, Path log) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(
                java,
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                AbUpdateChild.class.getName()));
        command.addAll(args);
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitExit(Process child) {
        try {
            assertThat(child.waitFor(20, TimeUnit.SECONDS))
                    .as("child gone after SIGKILL")
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
