package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.server.history.ArchivedSampleStore;
import io.tsunagu.server.history.QuestDbSampleStore;
import io.tsunagu.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --history-archive-after-days}: the server puts the archive in front of QuestDB and exposes its metrics. */
class HistoryArchiveWiringTest {
    @TempDir
    Path dir;

    @Test
    void theArchiveIsUsedOnlyWhenConfiguredAndItsMetricsAreRegistered() {
        try (TestServer plain = TestServer.start(dir.resolve("plain"))) {
            assertThat(plain.server().history()).isInstanceOf(QuestDbSampleStore.class);
            assertThat(plain.server().metrics().render()).doesNotContain("tsunagu_history_archive");
        }
        try (TestServer archived = TestServer.start(
                dir.resolve("archived"), c -> c.withHistoryArchiveAfter(Optional.of(Duration.ofDays(7))))) {
            assertThat(archived.server().history()).isInstanceOf(ArchivedSampleStore.class);
            assertThat(archived.server().metrics().value("tsunagu_history_archive_days"))
                    .isZero();
            assertThat(Files.isDirectory(dir.resolve("archived/history-archive")))
                    .isTrue();
        }
    }
}
