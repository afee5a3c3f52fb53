package io.tsunagu.server.update.rollout;

import java.util.Locale;

/**
 * A campaign's life: {@code created → running ⇄ paused}, then {@code finished} (every action final), {@code halted}
 * (a group passed its error threshold) or {@code cancelled}. A halted campaign can still be cancelled, which cancels
 * its open actions.
 */
public enum CampaignState {
    CREATED,
    RUNNING,
    PAUSED,
    FINISHED,
    HALTED,
    CANCELLED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CampaignState fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
