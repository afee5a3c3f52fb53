package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightTest {
    @Test
    void packetIdsInFlightAreDistinctAcrossGrowthAndWrapAfter65535() {
        InFlight inFlight = new InFlight();
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(inFlight.add(i));
        }
        assertThat(ids).hasSize(100).allMatch(id -> id >= 1 && id <= 65_535);
        assertThat(inFlight.remove(50)).isEqualTo(49); // ids run from 1: the 50th publish had ticket 49
        assertThat(inFlight.remove(50)).isEqualTo(InFlight.NONE);
        for (int id = 51; id <= 100; id++) {
            inFlight.remove(id);
        }
        // 49 still in flight (1..49); cycle the ids around past 65,535: none of the 49 may be given again
        Set<Integer> later = new HashSet<>();
        for (int i = 0; i < 70_000; i++) {
            int id = inFlight.add(-1);
            later.add(id);
            assertThat(inFlight.remove(id)).isEqualTo(-1);
        }
        assertThat(later).contains(50, 65_535).allMatch(id -> id > 49 && id <= 65_535);
        assertThat(inFlight.count()).isEqualTo(49);
        assertThat(inFlight.remove(1)).isZero();
    }

    @Test
    void waitingTicketsLeaveInOrderAndClearCountsThemWithThoseInFlight() {
        InFlight inFlight = new InFlight();
        inFlight.add(7);
        for (long t = 0; t < 10; t++) {
            inFlight.await(t);
        }
        assertThat(inFlight.nextWaiting()).isZero();
        assertThat(inFlight.nextWaiting()).isEqualTo(1);
        assertThat(inFlight.hasWaiting()).isTrue();
        assertThat(inFlight.clear()).isEqualTo(1 + 8);
        assertThat(inFlight.hasWaiting()).isFalse();
        assertThat(inFlight.count()).isZero();
        assertThat(inFlight.remove(1)).isEqualTo(InFlight.NONE);
    }
}
