package io.tsunagu.server.update.rollout;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A device's report on an action, in the shape of hawkBit DDI's feedback body ({@code status.execution}, {@code
 * status.result.finished}, {@code status.result.progress}, {@code status.details}), so the DDI resource maps its JSON
 * one to one and the agent reports the same way.
 *
 * @param execution what the device is doing
 * @param finished the result; {@code success} or {@code failure} only with {@code closed}
 * @param progress optional progress ({@code cnt} of {@code of}), kept in the status history
 * @param details free-text messages for the status history (at most {@link #MAX_DETAILS}, each cut to 1000 characters)
 */
public record Feedback(Execution execution, Finished finished, Optional<Progress> progress, List<String> details) {
    public static final int MAX_DETAILS = 20;

    public Feedback {
        details = List.copyOf(details);
    }

    /** A report without progress. */
    public static Feedback of(Execution execution, Finished finished, String... details) {
        return new Feedback(execution, finished, Optional.empty(), List.of(details));
    }

    /** DDI {@code status.execution}. */
    public enum Execution {
        /** The action is finished; {@link Finished} says how. */
        CLOSED,
        /** The device works on it (hawkBit maps it to running). */
        PROCEEDING,
        /** The device confirms a requested cancel. */
        CANCELED,
        /** The device has scheduled the update for later. */
        SCHEDULED,
        /** The device declines, for now (an update, or a requested cancel). */
        REJECTED,
        /** The device resumes after a pause. */
        RESUMED,
        /** Every artifact is downloaded. */
        DOWNLOADED,
        /** The device starts downloading. */
        DOWNLOAD;

        /** The DDI JSON form, e.g. {@code proceeding}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Execution> parse(String code) {
            for (Execution e : values()) {
                if (e.code().equals(code)) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
    }

    /** DDI {@code status.result.finished}. */
    public enum Finished {
        SUCCESS,
        FAILURE,
        NONE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Finished> parse(String code) {
            for (Finished f : values()) {
                if (f.code().equals(code)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** DDI {@code status.result.progress}: {@code cnt} steps of {@code of} done. */
    public record Progress(int cnt, int of) {
        public Progress {
            if (cnt < 0 || of < 0) {
                throw RolloutException.invalid("invalid_feedback", "progress must not be negative");
            }
        }
    }
}
