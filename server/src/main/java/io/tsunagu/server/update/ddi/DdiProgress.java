package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code status.result.progress}: {@code cnt} steps of {@code of} done. hawkBit requires only {@code cnt}.
 *
 * @param of total steps, if the device knows them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DdiProgress(Integer cnt, @Nullable Integer of) {
    public DdiProgress {
        DdiChecks.require(cnt, "cnt");
        if (cnt < 0 || (of != null && of < 0)) {
            throw new IllegalArgumentException("progress cnt and of must not be negative");
        }
    }

    public Optional<Integer> total() {
        return Optional.ofNullable(of);
    }
}
