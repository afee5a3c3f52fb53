package io.tsunagu.server.ingest;

import io.tsunagu.protocol.telemetry.RejectReason;
import java.util.Optional;

/**
 * What became of one telemetry message.
 *
 * @param acceptedSamples values made durable
 * @param rejectedSamples values refused (each recorded in the {@link RejectionLog})
 * @param messageRejected present when nothing of the message was accepted, with the reason
 * @param detail human-readable summary, sent to MQTT 5 cars as the PUBACK reason string
 */
public record IngestOutcome(
        int acceptedSamples, int rejectedSamples, Optional<RejectReason> messageRejected, String detail) {

    static IngestOutcome rejected(RejectReason reason, String detail) {
        return new IngestOutcome(0, 0, Optional.of(reason), detail);
    }

    public boolean fullyAccepted() {
        return messageRejected.isEmpty() && rejectedSamples == 0;
    }
}
