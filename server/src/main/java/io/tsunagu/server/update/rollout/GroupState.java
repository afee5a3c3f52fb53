package io.tsunagu.server.update.rollout;

import java.util.Locale;

/**
 * A campaign group's life: {@code scheduled → running → finished} (every action final); {@code halted} when its
 * failures passed the error threshold; {@code cancelled} with its campaign.
 */
public enum GroupState {
    SCHEDULED,
    RUNNING,
    FINISHED,
    HALTED,
    CANCELLED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GroupState fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
