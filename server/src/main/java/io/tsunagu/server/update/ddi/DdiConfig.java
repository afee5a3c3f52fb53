package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code config} of the controller base: the polling configuration. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiConfig(DdiPolling polling) {
    public DdiConfig {
        DdiChecks.require(polling, "polling");
    }
}
