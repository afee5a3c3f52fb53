package io.tsunagu.server.api;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * {@link Instant#toString()} for the millisecond instants of a twin ({@code lastSeen}, {@code connectedSince}),
 * without {@code DateTimeFormatter} on every render: the text up to the second is kept in a slot per second (epoch
 * second modulo {@value #SLOTS}: a fleet's {@code lastSeen} fall within the last few seconds, its
 * {@code connectedSince} within the last connect wave, so few slots are ever replaced), and the milliseconds are
 * appended as {@code Instant.toString} does ({@code .SSS} unless zero). Instants with sub-millisecond digits or
 * outside the years 1970–9999 are handed to {@code Instant.toString} itself. Thread-safe: a slot holds an immutable
 * record, and a race only formats a second twice.
 */
final class IsoInstants {
    /** 10000-01-01T00:00:00Z: from here on the year has five digits. */
    private static final long YEAR_10000_SECOND = 253_402_300_800L;

    static final int SLOTS = 1_024;

    private record Second(long epochSecond, String prefix) {}

    private final AtomicReferenceArray<@Nullable Second> seconds = new AtomicReferenceArray<>(SLOTS);

    String format(Instant at) {
        long second = at.getEpochSecond();
        int nanos = at.getNano();
        if (nanos % 1_000_000 != 0 || second < 0 || second >= YEAR_10000_SECOND) {
            return at.toString();
        }
        int slot = (int) (second % SLOTS);
        Second known = seconds.getAcquire(slot);
        if (known == null || known.epochSecond() != second) {
            String whole = Instant.ofEpochSecond(second).toString(); // "2026-12-01T21:30:05Z"
            known = new Second(second, whole.substring(0, whole.length() - 1));
            seconds.setRelease(slot, known);
        }
        int millis = nanos / 1_000_000;
        if (millis == 0) {
            return known.prefix() + 'Z';
        }
        char[] fraction = {
            '.', (char) ('0' + millis / 100), (char) ('0' + millis / 10 % 10), (char) ('0' + millis % 10), 'Z'
        };
        return known.prefix().concat(new String(fraction));
    }
}
