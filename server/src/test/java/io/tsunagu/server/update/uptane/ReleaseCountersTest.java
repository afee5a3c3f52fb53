package io.tsunagu.server.update.uptane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseCountersTest {

    @Test
    void numericVersionsMapToCountersThatOrderLikeTheVersions() {
        assertThat(ReleaseCounters.fromVersion("1")).hasValue(1_000_000_000_000L);
        assertThat(ReleaseCounters.fromVersion("1.2")).hasValue(1_000_002_000_000L);
        assertThat(ReleaseCounters.fromVersion("v1.2.3")).hasValue(1_000_002_000_003L);
        assertThat(ReleaseCounters.fromVersion("1.10.0").getAsLong())
                .isGreaterThan(ReleaseCounters.fromVersion("1.9.999999").getAsLong());
        assertThat(ReleaseCounters.fromVersion("2.0.0").getAsLong())
                .isGreaterThan(ReleaseCounters.fromVersion("1.999999.999999").getAsLong());
    }

    @Test
    void preReleaseAndBuildSuffixesShareTheReleasesCounter() {
        assertThat(ReleaseCounters.fromVersion("2.1.0-rc1")).isEqualTo(ReleaseCounters.fromVersion("2.1.0"));
        assertThat(ReleaseCounters.fromVersion("2.1.0+build.7")).isEqualTo(ReleaseCounters.fromVersion("2.1.0"));
    }

    @Test
    void otherVersionShapesHaveNoCounter() {
        assertThat(ReleaseCounters.fromVersion("2026-12-01")).isEmpty();
        assertThat(ReleaseCounters.fromVersion("1.2.3.4")).isEmpty();
        assertThat(ReleaseCounters.fromVersion("abc123f")).isEmpty();
        assertThat(ReleaseCounters.fromVersion("1.1234567")).isEmpty();
        assertThat(ReleaseCounters.fromVersion("9000000.0.0")).isEmpty();
        assertThat(ReleaseCounters.fromVersion("")).isEmpty();
    }
}
