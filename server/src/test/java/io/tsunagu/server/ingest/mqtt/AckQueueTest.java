package io.tsunagu.server.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes.PubAck;
import io.tsunagu.server.ingest.CompletionBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The ordered PUBACK queue on a real (embedded) Netty channel whose event loop the test runs by hand. */
class AckQueueTest {
    final EmbeddedChannel channel = new EmbeddedChannel();

    @Test
    void aLaterPublishThatCompletesFirstWaitsSoAcknowledgementsLeaveInArrivalOrder() {
        AckQueue acks = new AckQueue(channel, true, 10);
        CompletableFuture<InboundPublishes.Ack> first = new CompletableFuture<>();
        CompletableFuture<InboundPublishes.Ack> second = new CompletableFuture<>();
        acks.expect(1, first);
        acks.expect(2, second);

        second.complete(InboundPublishes.Ack.SUCCESS);
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();

        first.complete(InboundPublishes.Ack.of(PubAck.QUOTA_EXCEEDED, "rate_limited: slow down"));
        channel.runPendingTasks();
        MqttPubReplyMessageVariableHeader one = header(channel.readOutbound());
        MqttPubReplyMessageVariableHeader two = header(channel.readOutbound());
        assertThat(one.messageId()).isEqualTo(1);
        assertThat(one.reasonCode()).isEqualTo(PubAck.QUOTA_EXCEEDED.byteValue());
        assertThat(one.properties()
                        .getProperty(MqttProperties.MqttPropertyType.REASON_STRING.value())
                        .value())
                .isEqualTo("rate_limited: slow down");
        assertThat(two.messageId()).isEqualTo(2);
        assertThat(two.reasonCode()).isEqualTo(PubAck.SUCCESS.byteValue());
        assertThat(acks.awaitingAck()).isZero();
    }

    @Test
    void readingStopsAtTheReceiveMaximumAndResumesOnceAnAcknowledgementWentOut() {
        AckQueue acks = new AckQueue(channel, true, 2);
        CompletableFuture<InboundPublishes.Ack> first = new CompletableFuture<>();
        acks.expect(1, first);
        assertThat(channel.config().isAutoRead()).isTrue();
        acks.expect(2, new CompletableFuture<>());
        assertThat(channel.config().isAutoRead()).isFalse();

        first.complete(InboundPublishes.Ack.SUCCESS);
        channel.runPendingTasks();

        assertThat(header(channel.readOutbound()).messageId()).isEqualTo(1);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aTerminalActionRunsOnlyAfterTheAcknowledgementsOwedBeforeIt() {
        AckQueue acks = new AckQueue(channel, true, 10);
        CompletableFuture<InboundPublishes.Ack> owed = new CompletableFuture<>();
        AtomicBoolean ended = new AtomicBoolean();
        List<Object> seenWhenEnded = new ArrayList<>();
        acks.expect(1, owed);
        acks.terminate(ch -> {
            ended.set(true);
            seenWhenEnded.addAll(channel.outboundMessages());
        });
        channel.runPendingTasks();
        assertThat(ended).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(acks.terminated()).isTrue();

        owed.complete(InboundPublishes.Ack.SUCCESS);
        channel.runPendingTasks();

        assertThat(ended).isTrue();
        assertThat(seenWhenEnded).hasSize(1);
    }

    @Test
    void anMqtt311ConnectionWhoseWriteFailedIsClosedInsteadOfAcknowledged() {
        AckQueue acks = new AckQueue(channel, false, 10);
        acks.expect(
                1,
                CompletableFuture.completedFuture(InboundPublishes.Ack.of(
                        PubAck.IMPLEMENTATION_SPECIFIC_ERROR, "durable write failed; re-send")));
        channel.runPendingTasks();

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theAcknowledgementsOfOneGroupCommitLeaveInOneFlushEvenIfTheEventLoopRunsMeanwhile() {
        AtomicInteger flushes = new AtomicInteger();
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        AckQueue acks = new AckQueue(channel, true, 10);
        List<CompletableFuture<InboundPublishes.Ack>> commit = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            CompletableFuture<InboundPublishes.Ack> ack = new CompletableFuture<>();
            commit.add(ack);
            acks.expect(id, ack);
        }

        CompletionBatch.completeAll(() -> {
            for (CompletableFuture<InboundPublishes.Ack> ack : commit) {
                ack.complete(InboundPublishes.Ack.SUCCESS);
                channel.runPendingTasks(); // the event loop gets the CPU between two completions
            }
        });
        assertThat(channel.outboundMessages()).isEmpty();
        channel.runPendingTasks();

        assertThat(List.of(
                        header(channel.readOutbound()).messageId(),
                        header(channel.readOutbound()).messageId(),
                        header(channel.readOutbound()).messageId()))
                .containsExactly(1, 2, 3);
        assertThat(flushes).hasValue(1);
    }

    private static MqttPubReplyMessageVariableHeader header(Object message) {
        assertThat(message).isInstanceOf(MqttMessage.class);
        return (MqttPubReplyMessageVariableHeader) ((MqttMessage) message).variableHeader();
    }
}
