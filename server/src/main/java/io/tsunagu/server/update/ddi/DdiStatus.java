package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code status} of a feedback: what the device is doing, the result so far, an optional device status code, and
 * free-text details.
 *
 * @param code optional device-specific status code (hawkBit records it as a message)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DdiStatus(
        Execution execution, DdiResult result, @Nullable Integer code, List<String> details) {
    public DdiStatus {
        DdiChecks.require(execution, "execution");
        DdiChecks.require(result, "result");
        details = DdiChecks.copy(details);
    }

    public Optional<Integer> statusCode() {
        return Optional.ofNullable(code);
    }

    /** {@code status.execution}, hawkBit's eight values. */
    public enum Execution {
        /** Finished; {@code result.finished} says how. */
        CLOSED,
        /** Started, not finished. */
        PROCEEDING,
        /** The device confirms a cancel. */
        CANCELED,
        /** Noticed, intended to run later. */
        SCHEDULED,
        /** Not accepted (an update, or a cancel), for now. */
        REJECTED,
        /** Started again after a reset or power loss. */
        RESUMED,
        /** Every artifact is downloaded. */
        DOWNLOADED,
        /** The device starts to download. */
        DOWNLOAD;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
