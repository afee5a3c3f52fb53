package io.tsunagu.agent.update.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.agent.AgentException;
import io.tsunagu.agent.update.EcuSerial;
import io.tsunagu.agent.update.Slot;
import io.tsunagu.agent.update.StepKind;
import io.tsunagu.agent.update.UpdateActionId;
import io.tsunagu.agent.update.UpdateOutcome;
import io.tsunagu.agent.update.UpdateStep;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdateJsonTest {
    /** A boot-control record as version 1 stores it: a car updated in the field must still boot after an upgrade. */
    private static final String BOOT_CONTROL_V1 = "{\"v\":1,\"active\":\"A\",\"trial\":\"B\",\"bootAttemptsLeft\":2,"
            + "\"a\":{\"state\":\"GOOD\",\"version\":\"1.0.0\",\"sha256\":\"aa\",\"lengthBytes\":10},"
            + "\"b\":{\"state\":\"TRIAL\",\"version\":\"2.0.0\",\"sha256\":\"bb\",\"lengthBytes\":20,"
            + "\"actionId\":\"act-1\"}}";

    @Test
    void readsAVersion1BootControlRecordAndWritesItBackUnchanged() {
        BootControl bc = UpdateJson.bootControl(BOOT_CONTROL_V1);
        assertThat(bc.active()).isEqualTo(Slot.A);
        assertThat(bc.trial()).contains(Slot.B);
        assertThat(bc.bootAttemptsLeft()).isEqualTo(2);
        assertThat(bc.a()).isEqualTo(new SlotRecord(SlotState.GOOD, "1.0.0", "aa", 10, Optional.empty()));
        assertThat(bc.b().actionId()).contains(UpdateActionId.of("act-1"));
        assertThat(UpdateJson.bootControl(bc)).isEqualTo(BOOT_CONTROL_V1);
    }

    @Test
    void stepsAndOutcomesRoundTrip() {
        UpdateStep step = new UpdateStep(
                7,
                "act-1/7",
                UpdateActionId.of("act-1"),
                EcuSerial.of("main"),
                StepKind.ROLLED_BACK,
                "2.0.0",
                Optional.of("boot_attempts_exhausted"),
                1_764_064_800_000L);
        assertThat(UpdateJson.step(UpdateJson.step(step))).isEqualTo(step);
        assertThat(UpdateJson.step(step)).contains("\"kind\":\"rolled_back\"");
        UpdateOutcome outcome = new UpdateOutcome(
                UpdateActionId.of("act-1"), EcuSerial.of("main"), StepKind.COMMITTED, "2.0.0", Optional.empty());
        assertThat(UpdateJson.outcome(UpdateJson.outcome(outcome))).isEqualTo(outcome);
    }

    @Test
    void refusesARecordOfAnUnknownFormatVersion() {
        assertThatThrownBy(() -> UpdateJson.bootControl(BOOT_CONTROL_V1.replace("\"v\":1", "\"v\":2")))
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.code()).isEqualTo("update_store_corrupt"));
    }
}
