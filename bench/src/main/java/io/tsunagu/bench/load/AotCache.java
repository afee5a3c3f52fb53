package io.tsunagu.bench.load;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JDK's ahead-of-time cache of the server (JEP 483 classes loaded and linked, JEP 515 method profiles; written in
 * one step with {@code -XX:AOTCacheOutput}, JEP 514): a file created by a training run of {@code tsunagu server} that
 * later server JVMs map at start-up instead of loading, linking and profiling those classes again.
 *
 * <p>The cache is tied to the JDK build that wrote it and to the exact class path (entries, sizes and times); the JVM
 * checks both and, in its default {@code -XX:AOTMode=auto}, runs without the cache (printing why) when they differ,
 * so a stale file never stops a server. The flags exist only from JDK 25 on ({@code AOTCacheOutput}); an older JVM is
 * never given one, since it would refuse to start on an unknown {@code -XX} flag. A cache older than a class path
 * entry is not offered at all: the JVM would reject it anyway, with a warning on every start.
 *
 * <p>Off unless {@code TSUNAGU_AOT=on}: it halves the server's CPU to ready and cut a resumed connect's server CPU
 * by a fifth, but gave no measurable gain on {@code ingest-fleet}'s backlog or p99 (docs/architecture.md, "JDK AOT
 * cache").
 *
 * @param file where the cache is (or is to be written)
 */
public record AotCache(Path file) {
    /** System property naming the cache file; {@code ./tsunagu} sets it to {@code app/target/tsunagu.aot}. */
    public static final String FILE_PROPERTY = "tsunagu.aot.cache";

    /** Environment variable that turns the cache on: {@code TSUNAGU_AOT=on} (read by {@code ./tsunagu} too). */
    public static final String SWITCH_ENV = "TSUNAGU_AOT";

    /** The first JDK feature release with {@code -XX:AOTCacheOutput} and method profiles in the cache. */
    public static final int MIN_JDK_FEATURE = 25;

    /** The cache named by {@value #FILE_PROPERTY} if {@value #SWITCH_ENV} is {@code on}. */
    public static Optional<AotCache> configured() {
        return of(System.getProperty(FILE_PROPERTY), System.getenv(SWITCH_ENV));
    }

    static Optional<AotCache> of(@Nullable String file, @Nullable String switchValue) {
        if (file == null || file.isBlank() || !"on".equalsIgnoreCase(switchValue)) {
            return Optional.empty();
        }
        return Optional.of(new AotCache(Path.of(file)));
    }

    /**
     * The JVM flags that make a JVM of {@code jdkFeature} on {@code classPath} use this cache: {@code
     * -XX:AOTCache=FILE} if the JDK has it, the file exists and no class path entry is newer than it; else none.
     */
    public List<String> runFlags(int jdkFeature, String classPath) {
        if (jdkFeature < MIN_JDK_FEATURE || !Files.isRegularFile(file) || !isFresh(classPath)) {
            return List.of();
        }
        return List.of("-XX:AOTCache=" + file);
    }

    /**
     * The JVM flag of a training run that writes the cache to {@code output} when that JVM exits.
     *
     * @throws IllegalStateException on a JDK older than {@value #MIN_JDK_FEATURE}
     */
    public static List<String> trainFlags(int jdkFeature, Path output) {
        if (jdkFeature < MIN_JDK_FEATURE) {
            throw new IllegalStateException("an AOT cache needs JDK " + MIN_JDK_FEATURE + " or newer; this is JDK "
                    + jdkFeature + " (set JAVA_HOME to a newer one)");
        }
        return List.of("-XX:AOTCacheOutput=" + output);
    }

    /** Whether no existing entry of {@code classPath} (a {@code java.class.path} value) was modified after the file. */
    boolean isFresh(String classPath) {
        FileTime written = modified(file);
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!entry.isEmpty() && Files.exists(path) && modified(path).compareTo(written) > 0) {
                return false;
            }
        }
        return true;
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + path, e);
        }
    }

    /**
     * What this JVM does with an AOT cache, for the start-up log: {@code -XX:AOTCache} as given (empty if none or on a
     * JDK without the flag) and whether the JVM mapped it. A JVM that maps a cache reports {@code sharing} in {@code
     * java.vm.info}; one that rejected it (other JDK build, other class path, other module options) runs with no
     * shared archive at all, so {@code sharing} is missing.
     */
    public static String thisJvmStatus() {
        return status(requestedByThisJvm(), System.getProperty("java.vm.info", ""));
    }

    static String status(Optional<String> requested, String vmInfo) {
        if (requested.isEmpty()) {
            return "no AOT cache";
        }
        if (vmInfo.contains("sharing")) {
            return "AOT cache in use: " + requested.get();
        }
        return "AOT cache " + requested.get() + " NOT used (the JVM rejected it, see its [aot] lines; "
                + "./tsunagu aot-train renews it)";
    }

    private static Optional<String> requestedByThisJvm() {
        try {
            String value = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("AOTCache")
                    .getValue();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a JDK before 24 has no such flag
        }
    }
}
