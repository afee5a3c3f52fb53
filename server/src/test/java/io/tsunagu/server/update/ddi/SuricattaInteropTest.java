package io.tsunagu.server.update.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tsunagu.server.update.rollout.ActionState;
import io.tsunagu.server.update.rollout.ActionStatusEntry;
import io.tsunagu.server.update.rollout.ActionType;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real, unchanged hawkBit client updates a car from Tsunagu: Debian's {@code swupdate} (2022.12, suricatta with its
 * hawkBit server built in) polls over HTTPS with a target token, downloads a signed .swu, installs its payload with
 * the {@code rawfile} handler into a file, and reports; restarted with {@code -c 2} ("update successful", what a
 * bootloader-less device says after its health check), it closes the action with success.
 *
 * <p>Runs wherever {@code swupdate} is on the PATH; skipped otherwise, except in CI ({@code CI=true}), where a missing
 * {@code swupdate} fails the test (.ci/run installs it). swupdate needs no bootloader environment here: its default
 * bootloader interface is {@code none}; it logs that it cannot read the stored update state and goes on.
 */
class SuricattaInteropTest {
    @TempDir
    Path dir;

    DdiFixture fixture;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void requireSwupdate() {
        Optional<Path> swupdate = onPath("swupdate");
        if (swupdate.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("swupdate is not on the PATH; .ci/run must install Debian's swupdate package");
            }
            assumeTrue(false, "swupdate not installed (apt-get install swupdate); skipped outside CI");
        }
        fixture = new DdiFixture(dir.resolve("server"), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        processes.forEach(SuricattaInteropTest::kill);
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void suricattaInstallsAnUpdateFromTsunaguAndReportsSuccess() throws Exception {
        DdiFixture.Car car = fixture.newCar();
        byte[] payload = DdiFixture.randomBytes(256 * 1024, 5);
        Path installed = dir.resolve("slot-b.img");
        SwuImage image = SwuImage.of("2.0.0", "rootfs.img", payload, installed.toString());
        String sha256 = fixture.storeArtifact("update.swu", image.bytes());
        fixture.rollOut(car.vin(), sha256, ActionType.FORCED);
        long actionId = fixture.awaitOffered(car.vin()).id();
        Path signer = Files.writeString(dir.resolve("signer.pem"), image.signerPem());
        Path config = Files.writeString(
                dir.resolve("swupdate.cfg"),
                "globals :\n{\n\tloglevel = 6;\n};\nsuricatta :\n{\n\tcafile = \""
                        + write("ca.pem", car.credentials().caCertificatePem()) + "\";\n};\n");

        Process install = suricatta(car, signer, config, "install.log");
        awaitOrShowLog(install, "install.log", () -> messages(car, actionId).contains("All Chunks Installed."));
        assertThat(installed).exists();
        assertThat(Files.readAllBytes(installed)).isEqualTo(payload);
        assertThat(state(car, actionId)).isIn(ActionState.DOWNLOADING, ActionState.INSTALLING);
        kill(install);

        Process confirm = suricatta(car, signer, config, "confirm.log", "-c", "2");
        awaitOrShowLog(confirm, "confirm.log", () -> state(car, actionId) == ActionState.SUCCESS);
        assertThat(messages(car, actionId)).contains("Update Installed.");
        assertThat(fixture.rollouts().installedBase(car.vin()).orElseThrow().actionId())
                .isEqualTo(actionId);
    }

    private Process suricatta(DdiFixture.Car car, Path signer, Path config, String log, String... extra)
            throws IOException {
        List<String> suricattaArgs = new ArrayList<>(List.of(
                "-t",
                "DEFAULT",
                "-u",
                "https://localhost:" + fixture.server.httpsPort(),
                "-i",
                car.vin().value(),
                "-k",
                car.token()));
        suricattaArgs.addAll(Arrays.asList(extra));
        List<String> command = List.of(
                "swupdate",
                "-v",
                "-f",
                config.toString(),
                "-k",
                signer.toString(),
                "-H",
                SwuImage.HARDWARE_BOARD + ":" + SwuImage.HARDWARE_REVISION,
                "-u",
                String.join(" ", suricattaArgs));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
        processes.add(process);
        return process;
    }

    /** Waits for {@code done}; on timeout fails with swupdate's log, which says why. */
    private void awaitOrShowLog(Process process, String log, Callable<Boolean> done) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> done.call() || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            // reported below, with the log
        }
        if (!done.call()) {
            String text = Files.readString(dir.resolve(log));
            fail("swupdate did not get there (alive: " + process.isAlive() + "); its log (last 6000 characters):\n"
                    + text.substring(Math.max(0, text.length() - 6000)));
        }
    }

    private String write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII)
                .toString();
    }

    private List<String> messages(DdiFixture.Car car, long actionId) {
        return fixture.rollouts().history(car.vin(), actionId, 1000).stream()
                .map(ActionStatusEntry::messages)
                .flatMap(List::stream)
                .toList();
    }

    private ActionState state(DdiFixture.Car car, long actionId) {
        return fixture.rollouts()
                .action(car.vin(), actionId)
                .orElseThrow()
                .action()
                .state();
    }

    /** Stops swupdate and the helper processes it forked (suricatta, downloader). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Arrays.stream(path.split(File.pathSeparator))
                .map(p -> Path.of(p, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
