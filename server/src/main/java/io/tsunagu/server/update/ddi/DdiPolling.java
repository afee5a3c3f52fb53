package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code config.polling}: how long the device should sleep between two polls, as hawkBit writes it, {@code "HH:MM:SS"}
 * (suricatta parses it with {@code strptime("%H:%M:%S")}, so hours stay below 24).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiPolling(String sleep) {
    private static final Pattern SLEEP = Pattern.compile("(\\d{2}):([0-5]\\d):([0-5]\\d)");

    /** The longest sleep the {@code HH:MM:SS} form holds for every client (23:59:59). */
    public static final Duration MAX_SLEEP = Duration.ofHours(24).minusSeconds(1);

    public DdiPolling {
        DdiChecks.require(sleep, "sleep");
        if (!SLEEP.matcher(sleep).matches()) {
            throw new IllegalArgumentException("polling sleep must be HH:MM:SS, got '" + sleep + "'");
        }
    }

    /** The sleep in whole seconds; fractions are dropped, between 1 s and {@link #MAX_SLEEP}. */
    public static DdiPolling of(Duration sleep) {
        if (sleep.compareTo(Duration.ofSeconds(1)) < 0 || sleep.compareTo(MAX_SLEEP) > 0) {
            throw new IllegalArgumentException("polling sleep must be 1 s .. 23:59:59, got " + sleep);
        }
        long s = sleep.toSeconds();
        return new DdiPolling(String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60));
    }

    public Duration duration() {
        Matcher m = SLEEP.matcher(sleep);
        if (!m.matches()) {
            throw new IllegalStateException("validated sleep no longer matches: " + sleep);
        }
        return Duration.ofHours(Long.parseLong(m.group(1)))
                .plusMinutes(Long.parseLong(m.group(2)))
                .plusSeconds(Long.parseLong(m.group(3)));
    }
}
