package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@code status.result}: the final result ({@code none} while running) and optional progress. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DdiResult(Finished finished, @Nullable DdiProgress progress) {
    public DdiResult {
        DdiChecks.require(finished, "finished");
    }

    public Optional<DdiProgress> stepProgress() {
        return Optional.ofNullable(progress);
    }

    /** {@code status.result.finished}. */
    public enum Finished {
        SUCCESS,
        FAILURE,
        NONE;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
