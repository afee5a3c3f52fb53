package io.tsunagu.protocol.update;

import static io.tsunagu.protocol.update.UpdateScenario.days;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepositorySignerRestoreTest {

    @Test
    void aRestoredRepositoryContinuesTheVersionsOfThePersistedOne() {
        Map<Role, RoleKeyring> keys = UpdateScenario.singleKeys();
        RepositorySigner original = RepositorySigner.create(keys, days(365));
        original.rotateRoot(keys, days(400));
        RepositorySigner.Published published = original.publish(List.of(), days(30), days(7), days(1));

        RepositorySigner restored = RepositorySigner.restore(keys, original.rootsAfter(0), Optional.of(published));
        RepositorySigner.Published next = restored.publish(List.of(), days(30), days(7), days(1));

        assertThat(restored.root()).isEqualTo(original.root());
        assertThat(restored.rootsAfter(0)).hasSize(2);
        assertThat(next.targets().version()).isEqualTo(published.targets().version() + 1);
        assertThat(next.snapshot().version()).isEqualTo(published.snapshot().version() + 1);
        assertThat(next.timestamp().version()).isEqualTo(published.timestamp().version() + 1);
    }

    @Test
    void refusesKeysTheNewestRootDoesNotName() {
        RepositorySigner original = RepositorySigner.create(UpdateScenario.singleKeys(), days(365));

        assertThatThrownBy(() ->
                        RepositorySigner.restore(UpdateScenario.singleKeys(), original.rootsAfter(0), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not the ones root v1 names");
    }

    @Test
    void refusesAGapInTheRootChain() {
        Map<Role, RoleKeyring> keys = UpdateScenario.singleKeys();
        RepositorySigner original = RepositorySigner.create(keys, days(365));
        original.rotateRoot(keys, days(365));

        assertThatThrownBy(() -> RepositorySigner.restore(keys, original.rootsAfter(1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in order");
    }
}
