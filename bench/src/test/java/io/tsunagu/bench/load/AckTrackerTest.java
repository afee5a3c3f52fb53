package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckTrackerTest {
    @Test
    void onlyPublishesSentWhileRecordingCarryALatencyAndEveryAnswerIsCountedOnce() {
        AckTracker tracker = new AckTracker();
        long before = tracker.sentNow();
        tracker.recording(true);
        long during = tracker.sentNow();
        long failing = tracker.sentNow();
        long unanswered = tracker.sentNow();

        tracker.acked(before);
        tracker.acked(during);
        tracker.failed();

        assertThat(before).isNegative();
        assertThat(during).isNotNegative();
        assertThat(failing).isNotNegative();
        assertThat(unanswered).isGreaterThanOrEqualTo(during);
        assertThat(tracker.sent()).isEqualTo(4);
        assertThat(tracker.acked()).isEqualTo(2);
        assertThat(tracker.failures()).isEqualTo(1);
        assertThat(tracker.outstanding()).isEqualTo(1);
        assertThat(tracker.latencies().count()).isEqualTo(1);
    }
}
