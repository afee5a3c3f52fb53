package io.tsunagu.server.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.observe.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact store on embedded H2; {@link PostgresArtifactStoreTest} runs the same tests on PostgreSQL. */
class ArtifactStoreTest {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final long MAX_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    MetadataDatabase db;
    Metrics metrics;
    ArtifactStore store;

    MetadataDatabase openDatabase() {
        return MetadataDatabase.embedded(dir.resolve("db"));
    }

    @BeforeEach
    void open() {
        db = openDatabase();
        metrics = new Metrics();
        store = openStore(T0);
    }

    ArtifactStore openStore(Instant now) {
        return ArtifactStore.open(
                dir.resolve("artifacts"), db.dataSource(), MAX_BYTES, metrics, Clock.fixed(now, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        db.close();
    }

    static byte[] content(int length, long seed) {
        byte[] bytes = new byte[length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    static Sha256 sha256(byte[] content) throws Exception {
        return Sha256.of(MessageDigest.getInstance("SHA-256").digest(content));
    }

    static ArtifactUpload upload(String version, Optional<Sha256> expected) {
        return new ArtifactUpload(
                "ecu-main.bin", version, List.of("ecu-main", "bcm-2"), "fixes range", expected, "operator-1");
    }

    ArtifactStore.Stored store(ArtifactUpload upload, byte[] content) {
        return store.store(upload, new ByteArrayInputStream(content), OptionalLong.of(content.length));
    }

    /** Every file under the artifact directory, temp files included. */
    List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir.resolve("artifacts"))) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void storesContentUnderItsSha256WithItsMetadata() throws Exception {
        byte[] content = content(10_000, 1);

        ArtifactStore.Stored stored = store(upload("1.2.0", Optional.empty()), content);

        Artifact artifact = stored.artifact();
        assertThat(stored.created()).isTrue();
        assertThat(artifact.sha256()).isEqualTo(sha256(content));
        assertThat(artifact.lengthBytes()).isEqualTo(content.length);
        assertThat(artifact.hardwareIds()).containsExactly("bcm-2", "ecu-main");
        assertThat(artifact.createdAt()).isEqualTo(T0);
        assertThat(store.find(artifact.sha256())).hasValue(artifact);
        assertThat(files()).singleElement().satisfies(file -> {
            assertThat(file.getFileName()).hasToString(artifact.sha256().value());
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        });
        assertThat(metrics.value("tsunagu_artifact_uploads_total", "outcome", "created"))
                .isEqualTo(1);
    }

    @Test
    void readsAnyRangeOfTheContent() throws Exception {
        byte[] content = content(10_000, 2);
        Sha256 sha = store(upload("1.0", Optional.empty()), content).artifact().sha256();

        try (InputStream in = store.open(sha, new ByteRange(1234, 4321))) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 1234, 1234 + 4321));
        }
        try (InputStream in = store.open(sha, new ByteRange(9999, 1))) {
            assertThat(in.readAllBytes()).containsExactly(content[9999]);
        }
        assertThatThrownBy(() -> store.open(sha, new ByteRange(9999, 2)))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.code()).isEqualTo("invalid_range"));
        assertThatThrownBy(() -> store.open(sha256(new byte[] {1}), new ByteRange(0, 1)))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.NOT_FOUND));
    }

    @Test
    void theSameContentUploadedTwiceIsStoredOnce() throws Exception {
        byte[] content = content(5_000, 3);
        Artifact first = store(upload("2.0", Optional.empty()), content).artifact();

        ArtifactStore.Stored again = store(upload("2.0", Optional.of(first.sha256())), content);

        assertThat(again.created()).isFalse();
        assertThat(again.artifact()).isEqualTo(first);
        assertThat(files()).hasSize(1);
        assertThat(store.list(Optional.empty(), 10)).hasSize(1);
        assertThat(metrics.value("tsunagu_artifact_uploads_total", "outcome", "existing"))
                .isEqualTo(1);
    }

    @Test
    void theSameContentWithOtherMetadataIsRefusedAndNothingChanges() throws Exception {
        byte[] content = content(5_000, 4);
        Artifact first = store(upload("2.0", Optional.empty()), content).artifact();

        assertThatThrownBy(() -> store(upload("2.1", Optional.empty()), content))
                .isInstanceOfSatisfying(ArtifactException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ArtifactException.Kind.CONFLICT);
                    assertThat(e.code()).isEqualTo("artifact_exists");
                    assertThat(e.getMessage()).contains("version 2.0");
                });
        assertThat(store.find(first.sha256())).hasValue(first);
        assertThat(files()).hasSize(1);
    }

    @Test
    void aChecksumMismatchStoresNothing() throws Exception {
        byte[] content = content(5_000, 5);
        Sha256 other = sha256(content(5_000, 6));
        Sha256 actual = sha256(content);

        assertThatThrownBy(() -> store(upload("3.0", Optional.of(other)), content))
                .isInstanceOfSatisfying(ArtifactException.class, e -> {
                    assertThat(e.code()).isEqualTo("checksum_mismatch");
                    assertThat(e.getMessage()).contains(actual.value()).contains(other.value());
                });
        assertThat(files()).isEmpty();
        assertThat(store.find(actual)).isEmpty();
        assertThat(metrics.value("tsunagu_artifact_uploads_rejected_total", "reason", "checksum_mismatch"))
                .isEqualTo(1);
    }

    @Test
    void contentOverTheLimitIsRefusedWhileStreamingAndLeavesNothing() throws Exception {
        byte[] content = content((int) MAX_BYTES + 1, 7);

        assertThatThrownBy(() -> store.store(
                        upload("4.0", Optional.empty()), new ByteArrayInputStream(content), OptionalLong.empty()))
                .isInstanceOfSatisfying(ArtifactException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ArtifactException.Kind.TOO_LARGE);
                    assertThat(e.code()).isEqualTo("artifact_too_large");
                });
        assertThat(files()).isEmpty();
        assertThat(store.list(Optional.empty(), 10)).isEmpty();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReadingAByte() {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };

        assertThatThrownBy(
                        () -> store.store(upload("4.1", Optional.empty()), untouchable, OptionalLong.of(MAX_BYTES + 1)))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.TOO_LARGE));
    }

    @Test
    void aCutUploadLeavesNoFileAndNoRow() throws Exception {
        byte[] content = content(40_000, 8);
        InputStream cut = new InputStream() {
            int position;

            @Override
            public int read() throws IOException {
                if (position == 30_000) {
                    throw new IOException("connection reset");
                }
                return content[position++] & 0xff;
            }
        };

        assertThatThrownBy(() -> store.store(upload("5.0", Optional.empty()), cut, OptionalLong.of(content.length)))
                .isInstanceOfSatisfying(ArtifactException.class, e -> {
                    assertThat(e.code()).isEqualTo("upload_interrupted");
                    assertThat(e.kind()).isEqualTo(ArtifactException.Kind.INTERRUPTED);
                });
        assertThatThrownBy(() -> store.store(
                        upload("5.0", Optional.empty()),
                        new ByteArrayInputStream(content, 0, 20_000),
                        OptionalLong.of(content.length)))
                .as("a body that ends early without an error")
                .isInstanceOfSatisfying(ArtifactException.class, e -> {
                    assertThat(e.code()).isEqualTo("upload_interrupted");
                    assertThat(e.kind()).isEqualTo(ArtifactException.Kind.INVALID);
                });
        assertThat(files()).isEmpty();
        assertThat(store.list(Optional.empty(), 10)).isEmpty();
    }

    @Test
    void anEmptyBodyIsRefused() throws Exception {
        assertThatThrownBy(() -> store(upload("6.0", Optional.empty()), new byte[0]))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.code()).isEqualTo("empty_body"));
        assertThatThrownBy(() -> store.store(
                        upload("6.0", Optional.empty()), new ByteArrayInputStream(new byte[0]), OptionalLong.empty()))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.code()).isEqualTo("empty_body"));
        assertThat(files()).isEmpty();
    }

    @Test
    void listsNewestFirstAndFiltersByHardwareId() {
        store(upload("1.0", Optional.empty()), content(100, 9));
        store = openStore(T0.plusSeconds(60));
        Artifact newer = store.store(
                        new ArtifactUpload("tcu.bin", "7.0", List.of("tcu"), "", Optional.empty(), "admin"),
                        new ByteArrayInputStream(content(100, 10)),
                        OptionalLong.empty())
                .artifact();

        assertThat(store.list(Optional.empty(), 10))
                .extracting(Artifact::version)
                .containsExactly("7.0", "1.0");
        assertThat(store.list(Optional.of("tcu"), 10)).containsExactly(newer);
        assertThat(store.list(Optional.of("bcm-2"), 10))
                .extracting(Artifact::version)
                .containsExactly("1.0");
        assertThat(store.list(Optional.empty(), 1)).containsExactly(newer);
    }

    @Test
    void reopeningKeepsArtifactsAndDeletesIncompleteUploads() throws Exception {
        byte[] content = content(3_000, 11);
        Artifact artifact = store(upload("8.0", Optional.empty()), content).artifact();
        Path leftover = Files.writeString(dir.resolve("artifacts/incoming/upload-crashed.part"), "half an image");

        ArtifactStore reopened = openStore(T0.plusSeconds(3600));

        assertThat(leftover).doesNotExist();
        assertThat(reopened.find(artifact.sha256())).hasValue(artifact);
        try (InputStream in = reopened.open(artifact.sha256(), artifact.whole())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }
}
