package io.tsunagu.server.ingest.mqtt;

import io.netty.handler.codec.mqtt.MqttReasonCodes.PubAck;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.server.ingest.IngestOutcome;
import io.tsunagu.server.ingest.IngestPipeline;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an authorized PUBLISH goes, and the PUBACK it earns. Telemetry goes to the ingest pipeline and is acknowledged
 * once the accepted values are durable; command results go to the {@link CommandChannel} and are acknowledged once
 * stored; the car's status is acknowledged at once and dropped (nothing subscribes to it). Nothing is ever delivered
 * to other clients.
 *
 * <p>PUBACK reason codes (MQTT 5 §3.4.2.1): success, also when some values were rejected (then with a reason string
 * naming them; they are also in the rejection log and the API); {@code 0x99 payload format invalid} when nothing was usable; {@code 0x97 quota
 * exceeded} when rate-limited (re-send later); {@code 0x83 implementation specific error} if the durable write failed
 * or took longer than {@value #STORE_TIMEOUT_S} s (re-send later). MQTT 3.1.1 has no reason codes: refused messages
 * from such clients are acknowledged so that a tool cannot loop on them, and are visible in the car's rejection log;
 * a failed durable write closes a 3.1.1 connection instead of acknowledging (the client re-sends after reconnecting).
 */
final class InboundPublishes {
    private static final Logger LOG = LoggerFactory.getLogger(InboundPublishes.class);
    private static final long STORE_TIMEOUT_S = 30;

    /** A PUBACK to send: reason code and, for MQTT 5, perhaps a reason string (at most 500 characters). */
    record Ack(byte code, Optional<String> reason) {
        static final Ack SUCCESS = new Ack(PubAck.SUCCESS.byteValue(), Optional.empty());
        static final Ack NOT_AUTHORIZED = new Ack(PubAck.NOT_AUTHORIZED.byteValue(), Optional.empty());

        static Ack of(PubAck code, String reason) {
            return new Ack(
                    code.byteValue(), Optional.of(reason.length() <= 500 ? reason : reason.substring(0, 497) + "..."));
        }
    }

    private final IngestPipeline pipeline;
    private final CommandChannel commands;
    private final Deadlines deadlines = new Deadlines(TimeUnit.SECONDS.toNanos(STORE_TIMEOUT_S), System::nanoTime);

    InboundPublishes(IngestPipeline pipeline, CommandChannel commands) {
        this.pipeline = pipeline;
        this.commands = commands;
    }

    /** Enforces the store time limit: fails the futures past it (called once a second by the gateway). */
    void sweepDeadlines() {
        deadlines.sweep();
    }

    /** Handles an authorized publish of {@code kind}; the future completes (on any thread) with its PUBACK. */
    CompletableFuture<Ack> handle(
            Vin vin, Topics.Kind kind, byte[] payload, Optional<String> contentType, boolean mqtt5) {
        return switch (kind) {
            case TELEMETRY ->
                timed(pipeline.submit(vin, payload, contentType))
                        .handle((outcome, failure) -> telemetryAck(vin, outcome, failure, mqtt5));
            case COMMAND_RESULT ->
                timed(commands.result(vin, payload)).handle((ok, failure) -> resultAck(vin, failure));
            default -> CompletableFuture.completedFuture(Ack.SUCCESS);
        };
    }

    /** Records an attempt to publish on another car's telemetry topic in the sender's rejection log. */
    void refuseForeignTopic(Vin sender, String topic) {
        pipeline.refuseForeignTopic(sender.value(), topic);
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
        return deadlines.watch(future);
    }

    private static Ack telemetryAck(Vin vin, IngestOutcome outcome, Throwable failure, boolean mqtt5) {
        if (failure != null) {
            LOG.error("[{}] telemetry could not be made durable; the car will re-send", vin, failure);
            return Ack.of(PubAck.IMPLEMENTATION_SPECIFIC_ERROR, "durable write failed; re-send");
        }
        if (!mqtt5) {
            return Ack.SUCCESS;
        }
        if (outcome.messageRejected().isEmpty()) {
            // MQTT 5 allows a reason string with success: a partly accepted message says what was refused.
            return outcome.rejectedSamples() == 0 ? Ack.SUCCESS : Ack.of(PubAck.SUCCESS, outcome.detail());
        }
        RejectReason reason = outcome.messageRejected().get();
        PubAck code = switch (reason) {
            case RATE_LIMITED -> PubAck.QUOTA_EXCEEDED;
            case TOPIC_NOT_ALLOWED -> PubAck.NOT_AUTHORIZED;
            default -> PubAck.PAYLOAD_FORMAT_INVALID;
        };
        return Ack.of(code, reason.code() + ": " + outcome.detail());
    }

    private static Ack resultAck(Vin vin, Throwable failure) {
        if (failure == null) {
            return Ack.SUCCESS;
        }
        LOG.error("[{}] command result could not be stored; the car will re-send", vin, failure);
        return Ack.of(PubAck.IMPLEMENTATION_SPECIFIC_ERROR, "storing the result failed; re-send");
    }
}
