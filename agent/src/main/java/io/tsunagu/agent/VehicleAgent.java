package io.tsunagu.agent;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.tsunagu.agent.buffer.DiskBuffer;
import io.tsunagu.agent.command.CommandExecutor;
import io.tsunagu.agent.command.CommandStore;
import io.tsunagu.agent.update.CarUpdates;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.wire.CommandResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-car agent: records telemetry frames into the durable offline buffer and streams them to the cloud over MQTT 5
 * with mutual TLS, in sequence order, deleting a frame only once the broker acknowledged it.
 *
 * <p>Connection: client identifier = VIN, clean start off with a session expiry, a retained QoS 1 will {@code offline}
 * on {@code vehicles/{vin}/status} and a retained {@code online} after every connect. After a connection loss (or a
 * failed first connect) it reconnects by itself with {@link ReconnectBackoff} (exponential, full jitter).
 *
 * <p>Delivery: frames are at-least-once. A frame leaves the buffer on a PUBACK with a success reason code. On a
 * temporary refusal (0x97 quota exceeded, 0x83/0x80 the cloud could not store it) or a failed publish (connection
 * lost, session expired) it stays buffered and is sent again after a backoff, possibly twice, which the cloud's (VIN,
 * seq) de-duplication absorbs. On a permanent refusal (0x99 payload format invalid, 0x87 not authorized, 0x90 topic
 * name invalid) it is dropped, logged and counted as rejected: it would be refused forever. See {@link
 * PubAckVerdict}.
 *
 * <p>Commands: envelopes on {@code vehicles/{vin}/commands} go to a {@link CommandExecutor} (verify, remember, execute
 * through {@link AgentConfig#actuators()}, report on {@code vehicles/{vin}/commands/result}); its {@link CommandStore}
 * is the file {@code <vin>.commands.mv.db} in the buffer folder. Results the cloud has not acknowledged are published
 * again after every connect.
 *
 * <p>Updates (optional, {@link AgentConfig#updates()}): a {@link CarUpdates} stack polls the cloud's DDI API on a
 * timer and on every connect, and also right after a hint on {@code vehicles/{vin}/updates}; it verifies with Uptane,
 * downloads resumably and installs A/B. A missed notification only delays an update.
 *
 * <p>Threading: {@link #record} may be called from any thread. The send loop and the commands run on the configured
 * executor (one task at a time each per agent); MQTT callbacks run on the client's threads and only schedule them.
 */
public final class VehicleAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VehicleAgent.class);
    private static final long CLOSE_TIMEOUT_MS = 5_000;

    private final AgentConfig config;
    private final DiskBuffer buffer;
    private final Mqtt5AsyncClient client;
    private final TelemetryPump pump;
    private final CommandExecutor commands;
    private final Optional<CarUpdates> updates;
    private final TelemetryPayloads payloads = new TelemetryPayloads();
    private final @Nullable ExecutorService ownedExecutor;
    private final Random jitter;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile boolean everConnected;
    private final long firstSeq; // the buffer's next sequence number when this agent opened it
    private final AtomicLong reconnects = new AtomicLong();

    /** Opens the offline buffer; frames can be recorded before {@link #start()}. */
    public VehicleAgent(AgentConfig config) {
        this.config = config;
        this.buffer = DiskBuffer.open(
                config.bufferDir().resolve(config.vin().value() + ".mv.db"),
                config.maxBufferedFrames(),
                config.bufferFsync());
        this.firstSeq = buffer.nextSeq();
        this.jitter = new Random(config.jitterSeed());
        this.ownedExecutor = config.executor().isPresent()
                ? null
                : Executors.newSingleThreadExecutor(Thread.ofPlatform()
                        .name("agent-" + config.vin().value())
                        .daemon(true)
                        .factory());
        this.client = buildClient();
        this.pump = new TelemetryPump(
                config, buffer, client, config.executor().orElse(ownedExecutor), () -> connected && !closed, jitter);
        this.commands = new CommandExecutor(
                config.vin(),
                CommandStore.open(
                        config.bufferDir().resolve(config.vin().value() + ".commands.mv.db"),
                        CommandStore.DEFAULT_MAX_REMEMBERED_IDS),
                config.commandKeys(),
                config.actuators(),
                config.pairingConfirmation(),
                config.revocationConfirmation(),
                this::publishResult,
                config.clock(),
                config.executor().orElse(ownedExecutor));
        this.updates = config.updates()
                .map(u -> CarUpdates.open(
                        config.vin(),
                        config.credentials(),
                        u,
                        u.dir().orElse(config.bufferDir().resolve(config.vin().value() + ".update"))));
        String commandTopic = Topics.commands(config.vin());
        String updatesTopic = Topics.updates(config.vin());
        // ALL, not SUBSCRIBED: with a persistent session (cleanStart=false) the broker may deliver queued commands
        // right after CONNACK, before this client instance has re-subscribed; SUBSCRIBED would drop those.
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            if (publish.getTopic().toString().equals(commandTopic)) {
                byte[] payload = publish.getPayloadAsBytes();
                config.commandHandler().accept(payload);
                commands.submit(payload);
            } else if (publish.getTopic().toString().equals(updatesTopic)) {
                updates.ifPresent(u -> u.onNotification(publish.getPayloadAsBytes()));
            }
        });
    }

    /** Publishes a command result with QoS 1; completes normally only on a PUBACK with a success code. */
    private CompletionStage<?> publishResult(CommandResult result) {
        return client.publishWith()
                .topic(Topics.commandResult(config.vin()))
                .qos(MqttQos.AT_LEAST_ONCE)
                .contentType(Topics.CONTENT_TYPE_PROTOBUF)
                .payload(result.toByteArray())
                .send()
                .thenCompose(sent -> sent.getError()
                        .<CompletableFuture<Object>>map(CompletableFuture::failedFuture)
                        .orElseGet(() -> CompletableFuture.completedFuture(sent)));
    }

    private Mqtt5AsyncClient buildClient() {
        return Mqtt5Client.builder()
                .identifier(config.vin().value())
                .serverHost(config.host())
                .serverPort(config.port())
                .sslConfig()
                .keyManagerFactory(PemTls.keyManagers(config.credentials()))
                .trustManagerFactory(PemTls.trustManagers(config.credentials()))
                .applySslConfig()
                .addConnectedListener(this::onConnected)
                .addDisconnectedListener(this::onDisconnected)
                .buildAsync();
    }

    /**
     * Starts connecting in the background and returns at once: a car may start without network. Reconnects on its own
     * from then on.
     */
    public void start() {
        if (closed) {
            throw new AgentException("agent_closed", "agent " + config.vin() + " is closed", false);
        }
        if (!started.compareAndSet(false, true)) {
            return;
        }
        LOG.info("{}: connecting to {}:{}", config.vin(), config.host(), config.port());
        updates.ifPresent(CarUpdates::start);
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(config.sessionExpirySeconds())
                .keepAlive(config.keepAliveSeconds())
                .willPublish()
                .topic(Topics.status(config.vin()))
                .payload(Topics.STATUS_OFFLINE.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .applyWillPublish()
                .send()
                .whenComplete((connAck, error) -> {
                    if (error != null) {
                        LOG.warn("{}: first connect failed, will retry: {}", config.vin(), error.toString());
                    }
                });
    }

    /**
     * Records one frame stamped with the configured clock. See {@link #record(long, Map)}.
     *
     * @return the frame's sequence number
     */
    public long record(Map<String, Object> signals) {
        return record(config.clock().millis(), signals);
    }

    /**
     * Stores one frame durably in the offline buffer under the next sequence number, then schedules sending. Returns
     * once the frame is committed to the buffer (and synced, when {@link AgentConfig#bufferFsync()} is on).
     *
     * @param tsMs sample time, epoch milliseconds UTC, after 1970-01-01
     * @param signals VSS path → value (Double, Long, Boolean, String, or a List of String or Number); numbers finite
     * @return the frame's sequence number
     * @throws AgentException if a value has an unsupported type or is not finite, or the agent is closed
     */
    public long record(long tsMs, Map<String, Object> signals) {
        if (closed) {
            throw new AgentException("agent_closed", "agent " + config.vin() + " is closed", false);
        }
        long seq = buffer.append(s -> payloads.encodeFrame(tsMs, s, signals));
        pump.request();
        return seq;
    }

    /** Whether the MQTT session is up. */
    public boolean connected() {
        return connected;
    }

    /** A snapshot of the counters. */
    public AgentStats stats() {
        DiskBuffer.Fill fill = buffer.fill(); // buffered and recorded from one moment
        return new AgentStats(
                fill.frames(),
                fill.nextSeq() - firstSeq,
                pump.sent(),
                pump.acked(),
                pump.rejected(),
                pump.retried(),
                buffer.droppedFrames(),
                reconnects.get(),
                connected);
    }

    private void onConnected(MqttClientConnectedContext context) {
        connected = true;
        if (everConnected) {
            reconnects.incrementAndGet();
        }
        everConnected = true;
        LOG.info("{}: connected, {} frame(s) buffered", config.vin(), buffer.size());
        client.publishWith()
                .topic(Topics.status(config.vin()))
                .payload(Topics.STATUS_ONLINE.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .send();
        client.subscribeWith()
                .topicFilter(Topics.commands(config.vin()))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .whenComplete((subAck, error) -> {
                    if (error != null) {
                        LOG.warn("{}: subscribing to commands failed: {}", config.vin(), error.toString());
                    }
                });
        updates.ifPresent(u -> subscribeUpdates(u));
        commands.republishPending();
        pump.request();
    }

    /** Update notifications are a hint; the poll right after the subscription catches what was missed offline. */
    private void subscribeUpdates(CarUpdates u) {
        client.subscribeWith()
                .topicFilter(Topics.updates(config.vin()))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .whenComplete((subAck, error) -> {
                    if (error != null) {
                        LOG.warn("{}: subscribing to updates failed: {}", config.vin(), error.toString());
                    }
                    u.connected();
                });
    }

    /** The car's update stack, if {@link AgentConfig#updates()} is set. */
    public Optional<CarUpdates> updates() {
        return updates;
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        connected = false;
        if (closed || context.getSource() == MqttDisconnectSource.USER) {
            return;
        }
        int attempt = context.getReconnector().getAttempts() + 1;
        long delayMs = config.backoff().delayMs(attempt, jitter);
        context.getReconnector().reconnect(true).delay(delayMs, TimeUnit.MILLISECONDS);
        LOG.warn(
                "{}: disconnected ({}: {}), reconnect attempt {} in {} ms",
                config.vin(),
                context.getSource(),
                context.getCause().toString(),
                attempt,
                delayMs);
    }

    /** Sends {@code offline} as the will (graceful disconnect keeps the status truthful), then closes the buffer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.disconnectWith()
                    .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                    .send()
                    .get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("{}: disconnect on close: {}", config.vin(), e.toString());
        }
        connected = false;
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        pump.stop();
        commands.close();
        updates.ifPresent(CarUpdates::close);
        long buffered = buffer.size();
        buffer.close();
        LOG.info("{}: closed, {} frame(s) stay buffered", config.vin(), buffered);
    }
}
