package io.tsunagu.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How to start {@code tsunagu server} in a child JVM: the command line's main class (the bench module cannot depend
 * on the app module, so the caller names it) on a class path, with the JVM flags the launcher script uses.
 *
 * @param mainClass e.g. {@code io.tsunagu.app.Main}
 * @param classPath usually this JVM's own {@code java.class.path}
 */
public record ServerLauncher(String mainClass, String classPath) {

    /**
     * Environment variable with extra JVM options for the server under test, split on whitespace; e.g. {@code
     * -XX:StartFlightRecording=filename=server.jfr,settings=profile} to profile it (the launcher script's {@code
     * TSUNAGU_JAVA_OPTS} reaches only the generator's JVM).
     */
    public static final String SERVER_JAVA_OPTS = "TSUNAGU_SERVER_JAVA_OPTS";

    /** The server started through {@code mainClass} on this JVM's class path. */
    public static ServerLauncher sameClassPath(String mainClass) {
        return new ServerLauncher(mainClass, System.getProperty("java.class.path"));
    }

    List<String> command(Path dataDir, int mqttPort, int httpPort) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // QuestDB and Netty; JDK 24+ warns otherwise
        }
        command.addAll(extraJvmOptions(System.getenv(SERVER_JAVA_OPTS)));
        command.addAll(List.of("-cp", classPath, mainClass, "server"));
        command.addAll(List.of("--data", dataDir.toString(), "--bind", "127.0.0.1"));
        command.addAll(List.of("--mqtt-port", Integer.toString(mqttPort), "--http-port", Integer.toString(httpPort)));
        command.addAll(List.of("--https-port", "0"));
        // Unlimited per-car rate: ingest-max floods single connections on purpose.
        command.addAll(List.of("--rate-limit", "0"));
        return command;
    }

    static List<String> extraJvmOptions(@Nullable String options) {
        if (options == null || options.isBlank()) {
            return List.of();
        }
        return List.of(options.strip().split("\\s+"));
    }
}
