package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code deployment} of a deployment base: how to handle download and update, the chunks, and the maintenance window
 * state.
 *
 * @param maintenanceWindow absent if the action has no maintenance window (hawkBit leaves the field out)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"download", "update", "maintenanceWindow", "chunks"})
public record DdiDeployment(
        Handling download,
        Handling update,
        List<DdiChunk> chunks,
        @Nullable MaintenanceWindow maintenanceWindow) {
    public DdiDeployment {
        DdiChecks.require(download, "download");
        DdiChecks.require(update, "update");
        chunks = DdiChecks.copy(chunks);
    }

    public Optional<MaintenanceWindow> window() {
        return Optional.ofNullable(maintenanceWindow);
    }

    /**
     * {@code download} / {@code update}: {@code skip} (not yet; e.g. outside the maintenance window), {@code attempt}
     * (the device may ask its user first), {@code forced} (do it now).
     */
    public enum Handling {
        SKIP,
        ATTEMPT,
        FORCED;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code maintenanceWindow}: whether the action's window is open now. */
    public enum MaintenanceWindow {
        AVAILABLE,
        UNAVAILABLE;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
