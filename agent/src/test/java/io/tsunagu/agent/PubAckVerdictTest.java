package io.tsunagu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import org.junit.jupiter.api.Test;

class PubAckVerdictTest {
    @Test
    void resendsOnlyWhenTheRefusalIsTemporary() {
        assertThat(PubAckVerdict.of(Mqtt5PubAckReasonCode.SUCCESS)).isEqualTo(PubAckVerdict.DELIVERED);
        assertThat(PubAckVerdict.of(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS))
                .isEqualTo(PubAckVerdict.DELIVERED);
        assertThat(PubAckVerdict.of(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED)).isEqualTo(PubAckVerdict.RETRY_LATER);
        assertThat(PubAckVerdict.of(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR))
                .isEqualTo(PubAckVerdict.RETRY_LATER);
        assertThat(PubAckVerdict.of(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR)).isEqualTo(PubAckVerdict.RETRY_LATER);
        assertThat(PubAckVerdict.of(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID))
                .isEqualTo(PubAckVerdict.REFUSED);
        assertThat(PubAckVerdict.of(Mqtt5PubAckReasonCode.NOT_AUTHORIZED)).isEqualTo(PubAckVerdict.REFUSED);
        assertThat(PubAckVerdict.of(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID)).isEqualTo(PubAckVerdict.REFUSED);
    }
}
