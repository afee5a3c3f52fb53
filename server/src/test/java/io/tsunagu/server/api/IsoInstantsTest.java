package io.tsunagu.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
    final IsoInstants instants = new IsoInstants();

    @Test
    void formatsMillisecondInstantsExactlyAsInstantToString() {
        Random random = new Random(1201);
        long nowMs = 1_764_624_600_000L;
        for (int i = 0; i < 20_000; i++) {
            // Mostly instants within a few seconds of each other (the kept second is reused), some anywhere.
            long ms = i % 10 == 0 ? (long) (random.nextDouble() * 253_402_300_799_999L) : nowMs + random.nextInt(5_000);
            Instant at = Instant.ofEpochMilli(ms);

            assertThat(instants.format(at)).as("%d ms", ms).isEqualTo(at.toString());
        }
    }

    @Test
    void edgeCasesMatchInstantToString() {
        List<Instant> cases = List.of(
                Instant.EPOCH,
                Instant.ofEpochMilli(1),
                Instant.ofEpochMilli(10),
                Instant.ofEpochMilli(100),
                Instant.ofEpochMilli(999),
                Instant.ofEpochMilli(1_764_624_600_000L),
                Instant.ofEpochMilli(1_764_624_600_120L),
                Instant.ofEpochMilli(1_764_624_600_005L),
                Instant.ofEpochMilli(-1),
                Instant.ofEpochMilli(-86_400_000L * 365 * 3000),
                Instant.ofEpochSecond(253_402_300_799L, 999_000_000),
                Instant.ofEpochSecond(253_402_300_800L),
                Instant.ofEpochSecond(1_764_624_600L, 123_456_789),
                Instant.ofEpochSecond(1_764_624_600L, 1_000),
                Instant.MAX,
                Instant.MIN);
        for (Instant at : cases) {
            assertThat(instants.format(at)).isEqualTo(at.toString());
            assertThat(instants.format(at)).as("again, from the kept second").isEqualTo(at.toString());
        }
    }
}
