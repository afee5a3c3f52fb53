package io.tsunagu.server.update.rollout;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * When actions may be offered, as hawkBit defines a maintenance window: a Quartz cron {@code schedule} (seconds
 * minutes hours day-of-month month day-of-week [year], e.g. {@code 0 0 2 ? * *} for 02:00 daily) says when a window
 * opens, {@code duration} how long it stays open, both in time zone {@code zone}.
 *
 * <p>Quartz's {@link CronExpression} is used only to compute fire times; nothing is scheduled with Quartz.
 */
public record MaintenanceWindow(String schedule, Duration duration, ZoneId zone) {
    public MaintenanceWindow {
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofDays(7)) > 0) {
            throw RolloutException.invalid("invalid_window", "window duration must be > 0 and at most 7 days");
        }
        if (!CronExpression.isValidExpression(schedule)) {
            throw RolloutException.invalid(
                    "invalid_window",
                    "window schedule is not a Quartz cron expression (seconds minutes hours day month weekday): "
                            + schedule);
        }
    }

    /**
     * True if a window is open at {@code at}: some start {@code s} of the schedule has {@code s <= at < s + duration},
     * i.e. the first start after {@code at - duration} is not after {@code at}.
     */
    public boolean isOpen(Instant at) {
        Date next = cron().getNextValidTimeAfter(Date.from(at.minus(duration)));
        return next != null && !next.toInstant().isAfter(at);
    }

    private CronExpression cron() {
        try {
            CronExpression cron = new CronExpression(schedule);
            cron.setTimeZone(TimeZone.getTimeZone(zone));
            return cron;
        } catch (ParseException e) {
            throw new IllegalStateException("validated schedule no longer parses: " + schedule, e);
        }
    }
}
