package io.tsunagu.server.ingest.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes command results off the broker (a car's publish on its own result topic goes to the command service, never
 * to subscribers; the PUBACK waits until the new state is stored) and reports when a car subscribes to its own
 * command topic. Like telemetry, a result sent to another car's topic is left to the broker's topic permissions, which
 * refuse it (HiveMQ authorizes only after the interceptors have run).
 */
final class CommandInterceptor implements PublishInboundInterceptor, SubscribeInboundInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(CommandInterceptor.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final CommandChannel channel;

    CommandInterceptor(CommandChannel channel) {
        this.channel = channel;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket packet = input.getPublishPacket();
        Optional<Topics.VehicleTopic> topic = Topics.parse(packet.getTopic());
        if (topic.isEmpty()
                || topic.get().kind() != Topics.Kind.COMMAND_RESULT
                || !topic.get()
                        .vin()
                        .value()
                        .equals(input.getClientInformation().getClientId())) {
            return;
        }
        Async<PublishInboundOutput> async = output.async(
                STORE_TIMEOUT,
                TimeoutFallback.FAILURE,
                AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                "storing the result timed out; re-send");
        channel.result(topic.get().vin(), bytes(packet.getPayload().orElse(ByteBuffer.allocate(0))))
                .whenComplete((ok, failure) -> {
                    try {
                        if (failure != null) {
                            LOG.error(
                                    "command result of {} could not be stored; the car will re-send",
                                    topic.get().vin(),
                                    failure);
                            output.preventPublishDelivery(
                                    AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "storing the result failed");
                        } else {
                            output.preventPublishDelivery(AckReasonCode.SUCCESS);
                        }
                    } finally {
                        async.resume();
                    }
                });
    }

    @Override
    public void onInboundSubscribe(SubscribeInboundInput input, SubscribeInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        if (!Vin.isValid(clientId)) {
            return;
        }
        Vin vin = Vin.of(clientId);
        String own = Topics.commands(vin);
        for (Subscription subscription : input.getSubscribePacket().getSubscriptions()) {
            if (subscription.getTopicFilter().equals(own)) {
                channel.subscribed(vin);
                return;
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
