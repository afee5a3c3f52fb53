package io.tsunagu.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How to start {@code tsunagu server} in a child JVM: the command line's main class (the bench module cannot depend
 * on the app module, so the caller names it) on a class path, with the JVM flags the launcher script uses.
 *
 * @param mainClass e.g. {@code io.tsunagu.app.Main}
 * @param classPath usually this JVM's own {@code java.class.path}
 * @param jvmOptions flags before the class path, e.g. the AOT cache's ({@link AotCache#runFlags})
 * @param stopTimeout how long a stopped server may take to exit before it is killed; a training run writes its AOT
 *     cache while it exits
 */
public record ServerLauncher(String mainClass, String classPath, List<String> jvmOptions, Duration stopTimeout) {

    /**
     * Environment variable with extra JVM options for the server under test, split on whitespace; e.g. {@code
     * -XX:StartFlightRecording=filename=server.jfr,settings=profile} to profile it (the launcher script's {@code
     * TSUNAGU_JAVA_OPTS} reaches only the generator's JVM).
     */
    public static final String SERVER_JAVA_OPTS = "TSUNAGU_SERVER_JAVA_OPTS";

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** Writing the cache (a second JVM assembles it) took 27 s at load 5 for a 98 MB cache; generous on purpose. */
    private static final Duration TRAINING_STOP_TIMEOUT = Duration.ofMinutes(10);

    public ServerLauncher {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** A launcher with no extra JVM options. */
    public ServerLauncher(String mainClass, String classPath) {
        this(mainClass, classPath, List.of(), STOP_TIMEOUT);
    }

    /**
     * The server started through {@code mainClass} on this JVM's class path, with the AOT cache of {@link
     * AotCache#configured()} when this JDK can use it and it is not older than the class path.
     */
    public static ServerLauncher sameClassPath(String mainClass) {
        String classPath = System.getProperty("java.class.path");
        List<String> aot = AotCache.configured()
                .map(cache -> cache.runFlags(Runtime.version().feature(), classPath))
                .orElse(List.of());
        return new ServerLauncher(mainClass, classPath, aot, STOP_TIMEOUT);
    }

    /**
     * This launcher as a training run: the server writes an AOT cache to {@code output} when it is stopped (any cache
     * it would have used is left out: a JVM cannot read and write one at once).
     *
     * @throws IllegalStateException on a JDK older than {@value AotCache#MIN_JDK_FEATURE}
     */
    public ServerLauncher training(Path output) {
        return training(output, Runtime.version().feature());
    }

    ServerLauncher training(Path output, int jdkFeature) {
        return new ServerLauncher(mainClass, classPath, AotCache.trainFlags(jdkFeature, output), TRAINING_STOP_TIMEOUT);
    }

    List<String> command(Path dataDir, int mqttPort, int httpPort) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same module options as ./tsunagu: an AOT cache is only used with the options it was written with.
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // QuestDB and Netty; JDK 24+ warns otherwise
        }
        command.addAll(jvmOptions);
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
