package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLauncherTest {
    private static final Path DATA = Path.of("/tmp/bench/server-data");

    @Test
    void theAotFlagComesAfterTheModuleOptionsAndBeforeTheClassPath() {
        ServerLauncher launcher = new ServerLauncher(
                "io.tsunagu.app.Main", "app.jar", List.of("-XX:AOTCache=/c/tsunagu.aot"), Duration.ofSeconds(20));

        List<String> command = launcher.command(DATA, 1883, 8080);

        int aot = command.indexOf("-XX:AOTCache=/c/tsunagu.aot");
        assertThat(aot).isGreaterThan(command.indexOf("--enable-native-access=ALL-UNNAMED"));
        assertThat(aot).isLessThan(command.indexOf("-cp"));
        assertThat(command.subList(command.indexOf("-cp"), command.indexOf("-cp") + 4))
                .containsExactly("-cp", "app.jar", "io.tsunagu.app.Main", "server");
    }

    @Test
    void aTrainingRunWritesTheCacheInsteadOfReadingOneAndMayTakeLongToStop() {
        ServerLauncher running = new ServerLauncher(
                "io.tsunagu.app.Main", "app.jar", List.of("-XX:AOTCache=/c/tsunagu.aot"), Duration.ofSeconds(20));
        Path output = Path.of("/c/tsunagu.aot.partial");

        ServerLauncher training = running.training(output, 25);

        assertThat(training.jvmOptions()).containsExactly("-XX:AOTCacheOutput=" + output);
        assertThat(training.command(DATA, 1883, 8080))
                .contains("-XX:AOTCacheOutput=" + output)
                .noneMatch(arg -> arg.startsWith("-XX:AOTCache="));
        assertThat(training.stopTimeout()).isGreaterThan(running.stopTimeout());
    }

    @Test
    void theExtraOptionsOfTheEnvironmentSplitOnWhitespace() {
        assertThat(ServerLauncher.extraJvmOptions("  -Xmx1g   -XX:+UseZGC ")).containsExactly("-Xmx1g", "-XX:+UseZGC");
        assertThat(ServerLauncher.extraJvmOptions(null)).isEmpty();
    }
}
