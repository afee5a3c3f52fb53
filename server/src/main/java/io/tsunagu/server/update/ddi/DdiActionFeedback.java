package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body a device posts to {@code .../deploymentBase/{id}/feedback} and {@code .../cancelAction/{id}/feedback}.
 * Unknown fields are ignored as hawkBit does: suricatta also sends {@code "id"} (a number) which hawkBit never read.
 *
 * @param time the device's own timestamp, free text (suricatta sends {@code 20261201T101500}); kept out of our
 *     history, where the server's clock stamps every entry
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DdiActionFeedback(@Nullable String time, DdiStatus status) {
    public DdiActionFeedback {
        DdiChecks.require(status, "status");
    }

    public Optional<String> deviceTime() {
        return Optional.ofNullable(time);
    }
}
