package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    private final ServerConfig defaults = ServerConfig.defaults(Path.of("data"));

    @Test
    void theColdArchiveIsOffByDefault() {
        assertThat(defaults.historyArchiveAfter()).isEmpty();
        assertThat(defaults.historyColdAfter()).isEmpty();
    }

    @Test
    void refusesTheArchiveTogetherWithTheInPlaceParquetConversion() {
        assertThatThrownBy(() -> withCold(Optional.of(Duration.ofDays(2)), Optional.of(Duration.ofDays(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archive-after");
        assertThat(withCold(Optional.empty(), Optional.of(Duration.ofDays(3))).historyArchiveAfter())
                .contains(Duration.ofDays(3));
    }

    @Test
    void refusesAnArchiveAfterThatIsNotPositive() {
        assertThatThrownBy(() -> withCold(Optional.empty(), Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ServerConfig withCold(Optional<Duration> coldAfter, Optional<Duration> archiveAfter) {
        return defaults.withHistoryArchiveAfter(archiveAfter).withHistoryColdAfter(coldAfter);
    }
}
