package io.tsunagu.protocol.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetKeyPolicyTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "doors.lock",
                "doors.unlock",
                "climate.start",
                "climate.stop",
                "charging.start",
                "charging.stop",
                "charging.set_limit",
                "horn_lights.flash",
                "charge_port.open",
                "trunk.open" // an action added later is protected without being listed
            })
    void refusesTheFleetKeyForActuatingActionsOnlyWhileAUserKeyIsPaired(String action) {
        assertThat(FleetKeyPolicy.rule(action)).isEqualTo(FleetKeyPolicy.Rule.USER_KEY_REQUIRED);
        assertThat(FleetKeyPolicy.permits(action, true)).isFalse();
        assertThat(FleetKeyPolicy.permits(action, false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wake", "refresh"})
    void leavesNonActuatingActionsOpenToTheFleetKey(String action) {
        assertThat(FleetKeyPolicy.rule(action)).isEqualTo(FleetKeyPolicy.Rule.ALLOWED);
        assertThat(FleetKeyPolicy.permits(action, true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"keys.pair", "keys.revoke"})
    void keyManagementByTheFleetKeyNeedsAnInCarConfirmation(String action) {
        assertThat(FleetKeyPolicy.rule(action)).isEqualTo(FleetKeyPolicy.Rule.IN_CAR_CONFIRMATION);
        assertThat(FleetKeyPolicy.permits(action, true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Doors.Unlock", "keys.revoke ", "wake\u0000"})
    void matchesActionNamesExactly(String action) {
        assertThat(FleetKeyPolicy.permits(action, true)).isFalse();
    }

    @Test
    void theNewRefusalReasonHasAStableCode() {
        assertThat(RefusalReason.FLEET_KEY_NOT_PERMITTED.code()).isEqualTo("fleet_key_not_permitted");
    }
}
