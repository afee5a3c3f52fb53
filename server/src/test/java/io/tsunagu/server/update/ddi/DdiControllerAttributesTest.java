package io.tsunagu.server.update.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.TestVins;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DdiControllerAttributesTest {
    static final Vin CAR = TestVins.northAmerican("1HGCM826", 1);

    @TempDir
    Path dir;

    MetadataDatabase db;
    DdiControllerAttributes attributes;

    @BeforeEach
    void open() {
        db = MetadataDatabase.embedded(dir.resolve("data"));
        new VehicleRegistry(db.dataSource(), Clock.systemUTC()).register(CAR, "Test EV", "alice", Set.of());
        attributes = new DdiControllerAttributes(db.dataSource(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void mergeReplaceAndRemoveApplyAsHawkBitDefinesThem() {
        attributes.apply(CAR, new DdiConfigData(Map.of("hwRevision", "2", "serial", "A1"), null), OptionalLong.empty());
        attributes.apply(
                CAR,
                new DdiConfigData(Map.of("serial", "A2", "mac", "00:11"), DdiConfigData.Mode.MERGE),
                OptionalLong.empty());
        assertThat(attributes.attributes(CAR))
                .containsExactly(Map.entry("hwRevision", "2"), Map.entry("mac", "00:11"), Map.entry("serial", "A2"));

        attributes.apply(CAR, new DdiConfigData(Map.of("mac", "x"), DdiConfigData.Mode.REMOVE), OptionalLong.empty());
        assertThat(attributes.attributes(CAR)).containsOnlyKeys("hwRevision", "serial");

        attributes.apply(
                CAR, new DdiConfigData(Map.of("board", "b7"), DdiConfigData.Mode.REPLACE), OptionalLong.empty());
        assertThat(attributes.attributes(CAR)).containsExactly(Map.entry("board", "b7"));
    }

    @Test
    void attributesAreRequestedUntilReportedAndAgainAfterANewInstalledAction() {
        assertThat(attributes.requested(CAR, OptionalLong.empty())).isTrue();

        attributes.apply(CAR, new DdiConfigData(Map.of("hwRevision", "2"), null), OptionalLong.empty());
        assertThat(attributes.requested(CAR, OptionalLong.empty())).isFalse();
        assertThat(attributes.requested(CAR, OptionalLong.of(5)))
                .as("after update 5 succeeded")
                .isTrue();

        attributes.apply(CAR, new DdiConfigData(Map.of("hwRevision", "2"), null), OptionalLong.of(5));
        assertThat(attributes.requested(CAR, OptionalLong.of(5))).isFalse();
    }

    @Test
    void tooLongValuesAndTooManyAttributesAreRefusedAndChangeNothing() {
        attributes.apply(CAR, new DdiConfigData(Map.of("a", "1"), null), OptionalLong.empty());

        assertThatThrownBy(() -> attributes.apply(
                        CAR, new DdiConfigData(Map.of("a", "x".repeat(1001)), null), OptionalLong.empty()))
                .isInstanceOf(DdiException.class)
                .extracting(e -> ((DdiException) e).code())
                .isEqualTo("invalid_config_data");
        var many = new java.util.HashMap<String, String>();
        for (int i = 0; i < DdiControllerAttributes.MAX_ATTRIBUTES; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> attributes.apply(CAR, new DdiConfigData(many, null), OptionalLong.empty()))
                .isInstanceOf(DdiException.class)
                .hasMessageContaining("at most 100");
        assertThat(attributes.attributes(CAR)).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void artifactHashesAreTheRealOnesAndComputedOnlyOnce() {
        byte[] content = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
        AtomicInteger reads = new AtomicInteger();
        String sha256 = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592";
        DdiArtifactHashes.Content source = s -> {
            reads.incrementAndGet();
            return new ByteArrayInputStream(content);
        };

        DdiArtifactHash first = new DdiArtifactHashes(db.dataSource(), source).of(sha256);
        DdiArtifactHash again = new DdiArtifactHashes(db.dataSource(), source).of(sha256);

        assertThat(first.sha1()).isEqualTo("2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
        assertThat(first.md5()).isEqualTo("9e107d9d372bb6826bd81d3542a419d6");
        assertThat(first.sha256()).isEqualTo(sha256);
        assertThat(again).isEqualTo(first);
        assertThat(reads)
                .as("the second store instance reads the table, not the artifact")
                .hasValue(1);
    }
}
