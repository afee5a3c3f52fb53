package io.tsunagu.agent.update.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.agent.AgentException;
import io.tsunagu.protocol.update.InstalledImage;
import io.tsunagu.protocol.update.RepositorySigner;
import io.tsunagu.protocol.update.RepositoryTrust;
import io.tsunagu.protocol.update.Role;
import io.tsunagu.protocol.update.RoleKeyring;
import io.tsunagu.protocol.update.SigningKey;
import io.tsunagu.protocol.update.TrustedState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedStateFileTest {
    @TempDir
    Path dir;

    private static RepositoryTrust trust(long versions) {
        Map<Role, RoleKeyring> keys = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            keys.put(role, RoleKeyring.single(SigningKey.ed25519()));
        }
        RepositorySigner repo = RepositorySigner.create(keys, Instant.parse("2030-01-01T00:00:00Z"));
        RepositoryTrust initial = RepositoryTrust.initial(repo.root().toJsonBytes());
        return new RepositoryTrust(initial.root(), versions, versions + 1, versions + 2);
    }

    @Test
    void keepsRootsVersionsAndInstalledImagesAcrossARestart() {
        TrustedState state = new TrustedState(
                trust(3), trust(7), Map.of("tcu-0001", new InstalledImage("tcu-2.0.img", 2, "ab".repeat(32))));
        Path file = dir.resolve("trusted-state.json");
        new TrustedStateFile(file).save(state);

        TrustedState loaded = new TrustedStateFile(file).load().orElseThrow();

        assertThat(loaded.director().root().toJsonBytes())
                .isEqualTo(state.director().root().toJsonBytes());
        assertThat(loaded.image().snapshotVersion()).isEqualTo(8);
        assertThat(loaded.director().targetsVersion()).isEqualTo(5);
        assertThat(loaded.installed()).isEqualTo(state.installed());
        assertThat(dir.resolve("trusted-state.json.tmp")).doesNotExist();
    }

    @Test
    void replacesAnOlderStateWhole() {
        Path file = dir.resolve("trusted-state.json");
        TrustedStateFile store = new TrustedStateFile(file);
        store.save(new TrustedState(trust(1), trust(1), Map.of()));
        store.save(new TrustedState(trust(9), trust(9), Map.of()));

        assertThat(store.load().orElseThrow().director().timestampVersion()).isEqualTo(9);
    }

    @Test
    void hasNoStateBeforeTheFirstSave() {
        assertThat(new TrustedStateFile(dir.resolve("none.json")).load()).isEmpty();
    }

    @Test
    void refusesAFileOfAnUnknownFormatVersion() throws Exception {
        Path file = dir.resolve("trusted-state.json");
        Files.writeString(file, "{\"v\": 2}", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new TrustedStateFile(file).load())
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("unknown format version");
    }
}
