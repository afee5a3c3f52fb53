package io.tsunagu.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The bench run's scratch directory (server data, logs); deleted at the end unless the caller keeps it. */
final class WorkDirectory {
    private WorkDirectory() {}

    static Path create() {
        try {
            return Files.createTempDirectory("tsunagu-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory", e);
        }
    }

    /** Deletes {@code dir} and everything below it; best effort (a bench result is worth more than a tidy /tmp). */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // left behind in the temp directory
        }
    }
}
