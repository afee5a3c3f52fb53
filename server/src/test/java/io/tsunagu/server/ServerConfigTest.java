package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Test
    void eachWitherChangesOnlyItsOwnFields() {
        ServerConfig base = ServerConfig.defaults(Path.of("/data"))
                .withRetention(Duration.ofDays(30))
                .withHttpsPort(-1)
                .withDatabase(Optional.of("jdbc:postgresql://db/tsunagu"), "fleet", "secret")
                .withHistoryArchiveAfter(Optional.of(Duration.ofDays(2)));

        assertThat(base.withArtifactMaxBytes(1024))
                .usingRecursiveComparison()
                .ignoringFields("artifactMaxBytes")
                .isEqualTo(base);
        assertThat(base.withArtifactMaxBytes(1024).artifactMaxBytes()).isEqualTo(1024);
        ServerConfig ports = base.withPorts("127.0.0.1", 18883, 18080);
        assertThat(ports)
                .usingRecursiveComparison()
                .ignoringFields("mqttBindAddress", "httpHost", "mqttPort", "httpPort")
                .isEqualTo(base);
        assertThat(List.of(ports.mqttBindAddress(), ports.httpHost())).containsOnly("127.0.0.1");
        assertThat(List.of(ports.mqttPort(), ports.httpPort())).containsExactly(18883, 18080);
        assertThat(base.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(base.httpsPort()).isEqualTo(-1);
        assertThat(base.jdbcUser()).isEqualTo("fleet");
        assertThat(base.historyArchiveAfter()).contains(Duration.ofDays(2));
    }
}
