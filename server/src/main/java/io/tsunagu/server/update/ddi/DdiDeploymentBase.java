package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET .../deploymentBase/{actionId}} and {@code .../installedBase/{actionId}}: the action and everything needed
 * to carry it out.
 *
 * @param id the action id as a string, as hawkBit sends it (suricatta reads it with {@code json_object_get_int})
 * @param actionHistory only when asked for with {@code ?actionHistory=N}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"id", "deployment", "actionHistory"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DdiDeploymentBase(
        String id, DdiDeployment deployment, @Nullable DdiActionHistory actionHistory) {
    public DdiDeploymentBase {
        DdiChecks.require(id, "id");
        DdiChecks.require(deployment, "deployment");
    }

    public Optional<DdiActionHistory> history() {
        return Optional.ofNullable(actionHistory);
    }
}
