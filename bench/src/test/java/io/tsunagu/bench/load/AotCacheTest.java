package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {
    private static final int JDK_21 = Runtime.Version.parse("21.0.5+11-LTS").feature();
    private static final int JDK_24 = Runtime.Version.parse("24.0.2+12").feature();
    private static final int JDK_25 = Runtime.Version.parse("25.0.3+9-LTS").feature();
    private static final Instant BUILT = Instant.parse("2026-12-01T20:00:00Z");

    @TempDir
    Path dir;

    Path appJar;
    Path libJar;
    Path cacheFile;
    String classPath;

    @BeforeEach
    void build() throws Exception {
        appJar = touch(dir.resolve("tsunagu-app.jar"), BUILT);
        libJar = touch(dir.resolve("lib-netty.jar"), BUILT.minusSeconds(3_600));
        cacheFile = dir.resolve("tsunagu.aot");
        classPath = appJar + File.pathSeparator + libJar;
    }

    @Test
    void aFreshCacheIsGivenToAJdk25() throws Exception {
        touch(cacheFile, BUILT.plusSeconds(60));

        assertThat(new AotCache(cacheFile).runFlags(JDK_25, classPath)).containsExactly("-XX:AOTCache=" + cacheFile);
    }

    @Test
    void aJdkBefore25NeverGetsAnAotFlag() throws Exception {
        touch(cacheFile, BUILT.plusSeconds(60));

        assertThat(new AotCache(cacheFile).runFlags(JDK_21, classPath)).isEmpty();
        assertThat(new AotCache(cacheFile).runFlags(JDK_24, classPath)).isEmpty();
    }

    @Test
    void noFileMeansNoFlag() {
        assertThat(new AotCache(cacheFile).runFlags(JDK_25, classPath)).isEmpty();
    }

    @Test
    void aCacheOlderThanAnyClassPathEntryIsStaleAndNotGiven() throws Exception {
        touch(cacheFile, BUILT.plusSeconds(60));
        touch(libJar, BUILT.plusSeconds(120)); // a dependency rebuilt after the training run

        AotCache cache = new AotCache(cacheFile);

        assertThat(cache.isFresh(classPath)).isFalse();
        assertThat(cache.runFlags(JDK_25, classPath)).isEmpty();
    }

    @Test
    void missingAndEmptyClassPathEntriesDoNotMakeACacheStale() throws Exception {
        touch(cacheFile, BUILT.plusSeconds(60));
        String withGaps = classPath + File.pathSeparator + File.pathSeparator + dir.resolve("gone.jar");

        assertThat(new AotCache(cacheFile).isFresh(withGaps)).isTrue();
    }

    @Test
    void theConfiguredCacheIsUsedOnlyWhenSwitchedOn() {
        assertThat(AotCache.of(cacheFile.toString(), "on")).contains(new AotCache(cacheFile));
        assertThat(AotCache.of(cacheFile.toString(), "ON")).contains(new AotCache(cacheFile));
        assertThat(AotCache.of(cacheFile.toString(), null)).isEmpty();
        assertThat(AotCache.of(cacheFile.toString(), "off")).isEmpty();
        assertThat(AotCache.of(null, "on")).isEmpty();
        assertThat(AotCache.of(" ", "on")).isEmpty();
    }

    @Test
    void trainingNeedsJdk25() {
        Path output = dir.resolve("out.aot");

        assertThat(AotCache.trainFlags(JDK_25, output)).containsExactly("-XX:AOTCacheOutput=" + output);
        assertThatThrownBy(() -> AotCache.trainFlags(JDK_21, output))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JDK 25");
    }

    @Test
    void theStatusSaysWhetherTheJvmMappedTheCache() {
        assertThat(AotCache.status(Optional.empty(), "mixed mode, sharing")).isEqualTo("no AOT cache");
        assertThat(AotCache.status(Optional.of("/x/tsunagu.aot"), "mixed mode, sharing"))
                .isEqualTo("AOT cache in use: /x/tsunagu.aot");
        assertThat(AotCache.status(Optional.of("/x/tsunagu.aot"), "mixed mode"))
                .startsWith("AOT cache /x/tsunagu.aot NOT used");
    }

    @Test
    void thisTestJvmRunsWithoutACache() {
        // Surefire starts this JVM without -XX:AOTCache; on JDK 21 the flag does not even exist.
        assertThat(AotCache.thisJvmStatus()).isEqualTo("no AOT cache");
    }

    private static Path touch(Path file, Instant time) throws Exception {
        if (!Files.exists(file)) {
            Files.writeString(file, file.getFileName().toString());
        }
        Files.setLastModifiedTime(file, FileTime.from(time));
        return file;
    }
}
