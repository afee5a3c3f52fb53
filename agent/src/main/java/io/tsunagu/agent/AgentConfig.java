package io.tsunagu.agent;

import io.tsunagu.agent.command.ActuatorHandler;
import io.tsunagu.agent.command.PairingConfirmation;
import io.tsunagu.agent.command.RevocationConfirmation;
import io.tsunagu.agent.update.UpdateSettings;
import io.tsunagu.protocol.Vin;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Everything a {@link VehicleAgent} needs. Build with {@link #builder(Vin, AgentCredentials)}; every other field has
 * a default.
 *
 * @param vin the car; also the MQTT client identifier and the certificate's CN
 * @param host the broker host
 * @param port the broker's TLS port (8883)
 * @param credentials client certificate, key and the CA to trust
 * @param bufferDir folder of the offline buffer file ({@code <vin>.mv.db}) and of the command store ({@code
 *     <vin>.commands.mv.db})
 * @param backoff reconnect backoff
 * @param retryBackoff pause before frames the broker deferred (0x97 quota exceeded, 0x83 storage failed) are sent
 *     again; the attempt counts the pauses since the last delivery
 * @param maxInFlight telemetry messages sent but not yet acknowledged, at most
 * @param maxBatchFrames frames per MQTT message, at most (a backlog is sent in batches of this size)
 * @param maxBufferedFrames frames the offline buffer holds before it drops the oldest
 * @param bufferFsync force every recorded frame to the device (power-loss safe) or only to the OS (crash safe)
 * @param format telemetry encoding
 * @param sessionExpirySeconds MQTT 5 session expiry; the broker keeps the session (and queued commands) this long
 * @param keepAliveSeconds MQTT keep-alive
 * @param clock the source of {@link VehicleAgent#record(java.util.Map)} timestamps
 * @param commandHandler sees the raw payload of every message on {@code vehicles/{vin}/commands} before the command
 *     executor handles it (an observer, e.g. for tests; it must not block)
 * @param commandKeys the fleet's command public keys by key id (from provisioning); commands signed with them, or with
 *     a user key paired later, are executed
 * @param actuators carries out verified commands
 * @param pairingConfirmation the in-car approval of {@code keys.pair}; declines by default
 * @param revocationConfirmation the in-car approval of a {@code keys.revoke} signed with the fleet key; declines by
 *     default (a user-signed revocation needs none)
 * @param executor runs the agent's send loop; empty: the agent starts its own single thread
 * @param jitterSeed seed of the backoff's random jitter
 * @param updates if present, the car takes software updates (subscribes to {@code vehicles/{vin}/updates}, polls the
 *     DDI API, verifies with Uptane, installs A/B); empty: no update client
 */
public record AgentConfig(
        Vin vin,
        String host,
        int port,
        AgentCredentials credentials,
        Path bufferDir,
        ReconnectBackoff backoff,
        ReconnectBackoff retryBackoff,
        int maxInFlight,
        int maxBatchFrames,
        long maxBufferedFrames,
        boolean bufferFsync,
        PublishFormat format,
        long sessionExpirySeconds,
        int keepAliveSeconds,
        Clock clock,
        Consumer<byte[]> commandHandler,
        Map<String, PublicKey> commandKeys,
        ActuatorHandler actuators,
        PairingConfirmation pairingConfirmation,
        RevocationConfirmation revocationConfirmation,
        Optional<Executor> executor,
        long jitterSeed,
        Optional<UpdateSettings> updates) {

    public AgentConfig {
        commandKeys = Map.copyOf(commandKeys);
        require(port > 0 && port < 65_536, "port must be 1-65535, got " + port);
        require(!host.isBlank(), "host must not be blank");
        require(maxInFlight >= 1, "maxInFlight must be at least 1, got " + maxInFlight);
        require(maxBatchFrames >= 1, "maxBatchFrames must be at least 1, got " + maxBatchFrames);
        require(maxBufferedFrames >= 1, "maxBufferedFrames must be at least 1, got " + maxBufferedFrames);
        require(
                sessionExpirySeconds >= 0 && sessionExpirySeconds <= 0xFFFF_FFFFL,
                "sessionExpirySeconds must be 0..4294967295, got " + sessionExpirySeconds);
        require(keepAliveSeconds >= 0 && keepAliveSeconds <= 65_535, "keepAliveSeconds must be 0..65535");
    }

    /**
     * A builder with the defaults: localhost:8883, ./data/agent, 64 in flight, 50 frames a batch, 500 000 frames,
     * re-send pauses of up to 1 s doubling to 60 s.
     */
    public static Builder builder(Vin vin, AgentCredentials credentials) {
        return new Builder(vin, credentials);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new AgentException("invalid_agent_config", problem, false);
        }
    }

    /** Mutable builder of an {@link AgentConfig}. */
    public static final class Builder {
        private final Vin vin;
        private final AgentCredentials credentials;
        private String host = "localhost";
        private int port = 8883;
        private Path bufferDir = Path.of("data", "agent");
        private ReconnectBackoff backoff = ReconnectBackoff.DEFAULT;
        private ReconnectBackoff retryBackoff = new ReconnectBackoff(1_000, 60_000);
        private int maxInFlight = 64;
        private int maxBatchFrames = 50;
        private long maxBufferedFrames = 500_000;
        private boolean bufferFsync = true;
        private PublishFormat format = PublishFormat.PROTOBUF;
        private long sessionExpirySeconds = 86_400;
        private int keepAliveSeconds = 30;
        private Clock clock = Clock.systemUTC();
        private Consumer<byte[]> commandHandler = payload -> {};
        private Map<String, PublicKey> commandKeys = Map.of();
        private ActuatorHandler actuators = ActuatorHandler.unsupported();
        private PairingConfirmation pairingConfirmation = PairingConfirmation.DECLINE;
        private RevocationConfirmation revocationConfirmation = RevocationConfirmation.DECLINE;
        private Optional<Executor> executor = Optional.empty();
        private long jitterSeed = System.nanoTime();
        private Optional<UpdateSettings> updates = Optional.empty();

        private Builder(Vin vin, AgentCredentials credentials) {
            this.vin = vin;
            this.credentials = credentials;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bufferDir(Path bufferDir) {
            this.bufferDir = bufferDir;
            return this;
        }

        public Builder backoff(ReconnectBackoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder retryBackoff(ReconnectBackoff retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder maxBatchFrames(int maxBatchFrames) {
            this.maxBatchFrames = maxBatchFrames;
            return this;
        }

        public Builder maxBufferedFrames(long maxBufferedFrames) {
            this.maxBufferedFrames = maxBufferedFrames;
            return this;
        }

        public Builder bufferFsync(boolean bufferFsync) {
            this.bufferFsync = bufferFsync;
            return this;
        }

        public Builder format(PublishFormat format) {
            this.format = format;
            return this;
        }

        public Builder sessionExpirySeconds(long sessionExpirySeconds) {
            this.sessionExpirySeconds = sessionExpirySeconds;
            return this;
        }

        public Builder keepAliveSeconds(int keepAliveSeconds) {
            this.keepAliveSeconds = keepAliveSeconds;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder commandHandler(Consumer<byte[]> commandHandler) {
            this.commandHandler = commandHandler;
            return this;
        }

        /** The fleet's command public keys by key id, e.g. {@code "fleet-1"}. */
        public Builder commandKeys(Map<String, PublicKey> commandKeys) {
            this.commandKeys = commandKeys;
            return this;
        }

        public Builder actuators(ActuatorHandler actuators) {
            this.actuators = actuators;
            return this;
        }

        public Builder pairingConfirmation(PairingConfirmation pairingConfirmation) {
            this.pairingConfirmation = pairingConfirmation;
            return this;
        }

        /** Who in the car approves a fleet-signed {@code keys.revoke}; {@link RevocationConfirmation#DECLINE} by default. */
        public Builder revocationConfirmation(RevocationConfirmation revocationConfirmation) {
            this.revocationConfirmation = revocationConfirmation;
            return this;
        }

        /** Runs the send loop and commands on a shared executor (a fleet simulator shares one among many agents). */
        public Builder executor(Executor executor) {
            this.executor = Optional.of(executor);
            return this;
        }

        public Builder jitterSeed(long jitterSeed) {
            this.jitterSeed = jitterSeed;
            return this;
        }

        /** Lets the car take software updates (see {@link UpdateSettings}). */
        public Builder updates(UpdateSettings updates) {
            this.updates = Optional.of(updates);
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(
                    vin,
                    host,
                    port,
                    credentials,
                    bufferDir,
                    backoff,
                    retryBackoff,
                    maxInFlight,
                    maxBatchFrames,
                    maxBufferedFrames,
                    bufferFsync,
                    format,
                    sessionExpirySeconds,
                    keepAliveSeconds,
                    clock,
                    commandHandler,
                    commandKeys,
                    actuators,
                    pairingConfirmation,
                    revocationConfirmation,
                    executor,
                    jitterSeed,
                    updates);
        }
    }
}
