package io.tsunagu.server.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Sha256Test {
    @Test
    void hexIsNormalisedToLowerCase() {
        assertThat(Sha256.of(" " + "AB".repeat(32) + "\n").value()).isEqualTo("ab".repeat(32));
    }

    @Test
    void anythingButSixtyFourHexDigitsIsRefusedWithAStableCode() {
        for (String bad : new String[] {"", "ab", "ab".repeat(33), "zz".repeat(32), "../" + "a".repeat(61)}) {
            assertThatThrownBy(() -> Sha256.of(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            ArtifactException.class, e -> assertThat(e.code()).isEqualTo("invalid_sha256"));
        }
    }
}
