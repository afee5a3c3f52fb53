package io.tsunagu.agent;

import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;

/**
 * What the agent does with a telemetry message after its PUBACK (MQTT 5 section 3.4.2.1), following the gateway's
 * contract (README "Topic contract"): the frames leave the offline buffer when they are delivered or refused for good,
 * and stay in it to be sent again after a backoff when the refusal is temporary.
 */
enum PubAckVerdict {
    /** Durable in the cloud (some values may have failed validation; the cloud lists them): remove the frames. */
    DELIVERED,
    /** Refused for now (rate limit, the cloud's storage failed): keep the frames, re-send after a backoff. */
    RETRY_LATER,
    /** Refused for good (malformed, not allowed): re-sending cannot help, so drop and count the frames. */
    REFUSED;

    static PubAckVerdict of(Mqtt5PubAckReasonCode code) {
        return switch (code) {
            // 0x10: the gateway never forwards telemetry to subscribers, a plain broker may say so; both mean stored.
            case SUCCESS, NO_MATCHING_SUBSCRIBERS -> DELIVERED;
            // 0x97 quota exceeded, 0x83 durable write failed or timed out, 0x80 unspecified, 0x91 packet id clash.
            case QUOTA_EXCEEDED, IMPLEMENTATION_SPECIFIC_ERROR, UNSPECIFIED_ERROR, PACKET_IDENTIFIER_IN_USE ->
                RETRY_LATER;
            // 0x99 nothing usable in the payload, 0x87 not this car's topic, 0x90 topic name invalid.
            case PAYLOAD_FORMAT_INVALID, NOT_AUTHORIZED, TOPIC_NAME_INVALID -> REFUSED;
        };
    }
}
