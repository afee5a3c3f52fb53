package io.tsunagu.server.ingest.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.server.ingest.IngestOutcome;
import io.tsunagu.server.ingest.IngestPipeline;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every telemetry PUBLISH off the broker: hands it to the ingest pipeline and holds the PUBACK (HiveMQ's async
 * output) until the pipeline says the accepted values are durable. The message is never delivered to subscribers or
 * stored by the broker. Other topics (status, command results) and telemetry sent to another car's topic pass through
 * to the broker's topic permissions, which confine the car to its own topics (HiveMQ authorizes only after the
 * interceptors have run).
 *
 * <p>PUBACK reason codes (MQTT 5): success, also when some values were rejected (HiveMQ carries reason strings only
 * on error codes, so those values are reported through the rejection log and the API);
 * {@code 0x99 payload format invalid} when nothing was usable; {@code 0x97 quota exceeded} when rate-limited (re-send
 * later); {@code 0x83 implementation specific error} if the durable write failed (re-send later). MQTT 3.1.1 has no
 * reason codes and a broker must disconnect instead; refused messages from such clients are acknowledged so that a
 * tool cannot loop on them, and are visible in the car's rejection log.
 */
final class TelemetryInterceptor implements PublishInboundInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryInterceptor.class);
    private static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(30);

    private final IngestPipeline pipeline;

    TelemetryInterceptor(IngestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket packet = input.getPublishPacket();
        var topic = Topics.parse(packet.getTopic());
        if (topic.isEmpty() || topic.get().kind() != Topics.Kind.TELEMETRY) {
            return;
        }
        // HiveMQ runs inbound interceptors before its topic authorization, so taking the message here would bypass
        // the ACL. Another car's telemetry topic is left to the broker, which refuses it like any foreign topic.
        String clientId = input.getClientInformation().getClientId();
        if (!topic.get().vin().value().equals(clientId)) {
            pipeline.refuseForeignTopic(clientId, packet.getTopic());
            return;
        }
        boolean mqtt5 = input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5;
        byte[] payload = bytes(packet.getPayload().orElse(ByteBuffer.allocate(0)));
        Async<PublishInboundOutput> async = output.async(
                DURABLE_TIMEOUT,
                TimeoutFallback.FAILURE,
                AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                "durable write timed out; re-send");
        pipeline.submit(topic.get().vin(), payload, packet.getContentType()).whenComplete((outcome, failure) -> {
            try {
                acknowledge(output, outcome, failure, mqtt5);
            } finally {
                async.resume();
            }
        });
    }

    private static void acknowledge(
            PublishInboundOutput output, IngestOutcome outcome, Throwable failure, boolean mqtt5) {
        if (failure != null) {
            LOG.error("telemetry could not be made durable; the car will re-send", failure);
            output.preventPublishDelivery(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "durable write failed");
            return;
        }
        if (outcome.messageRejected().isEmpty() || !mqtt5) {
            output.preventPublishDelivery(AckReasonCode.SUCCESS);
            return;
        }
        RejectReason reason = outcome.messageRejected().get();
        AckReasonCode code = switch (reason) {
            case RATE_LIMITED -> AckReasonCode.QUOTA_EXCEEDED;
            case TOPIC_NOT_ALLOWED -> AckReasonCode.NOT_AUTHORIZED;
            default -> AckReasonCode.PAYLOAD_FORMAT_INVALID;
        };
        output.preventPublishDelivery(code, truncate(reason.code() + ": " + outcome.detail()));
    }

    private static String truncate(String detail) {
        return detail.length() <= 500 ? detail : detail.substring(0, 497) + "...";
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
