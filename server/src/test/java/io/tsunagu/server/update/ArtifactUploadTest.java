package io.tsunagu.server.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArtifactUploadTest {
    @Test
    void invalidMetadataIsRefusedWithTheFieldInTheCode() {
        assertThatThrownBy(() -> new ArtifactUpload("a.bin", "", List.of("x"), "", Optional.empty(), "op"))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.code()).isEqualTo("invalid_version"));
        assertThatThrownBy(() -> new ArtifactUpload("../etc/passwd", "1", List.of("x"), "", Optional.empty(), "op"))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.code()).isEqualTo("invalid_filename"));
        assertThatThrownBy(() -> new ArtifactUpload("a.bin", "1", List.of(), "", Optional.empty(), "op"))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.code()).isEqualTo("invalid_hardware_ids"));
        assertThatThrownBy(
                        () -> new ArtifactUpload("a.bin", "1", List.of("x"), "n".repeat(4001), Optional.empty(), "op"))
                .isInstanceOfSatisfying(
                        ArtifactException.class, e -> assertThat(e.code()).isEqualTo("invalid_release_notes"));
    }

    @Test
    void hardwareIdsAreSortedAndDeduplicated() {
        ArtifactUpload upload =
                new ArtifactUpload("a.bin", "1.0+build.7", List.of("tcu", "bcm", "tcu"), "", Optional.empty(), "op");

        assertThat(upload.hardwareIds()).containsExactly("bcm", "tcu");
    }
}
