package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code PUT .../configData}: the controller attributes a device reports (hardware revision, serial number, ...).
 * suricatta also sends {@code id}, {@code time} and a {@code status}, which hawkBit ignores; so do we.
 *
 * @param data attribute name to value; hawkBit requires at least one
 * @param mode how to apply {@code data} to the stored attributes; absent means {@link Mode#MERGE}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DdiConfigData(
        Map<String, String> data, @Nullable Mode mode) {
    public DdiConfigData {
        DdiChecks.require(data, "data");
        if (data.isEmpty()) {
            throw new IllegalArgumentException("field 'data' must hold at least one attribute");
        }
        data = DdiChecks.orderedCopy(data);
    }

    /** The mode to apply: the given one, else {@code merge}. */
    public Mode updateMode() {
        return mode == null ? Mode.MERGE : mode;
    }

    /** {@code mode}: {@code merge} adds and overwrites, {@code replace} replaces all, {@code remove} deletes keys. */
    public enum Mode {
        MERGE,
        REPLACE,
        REMOVE;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
