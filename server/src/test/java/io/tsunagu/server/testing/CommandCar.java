package io.tsunagu.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandVerifier;
import io.tsunagu.protocol.wire.CommandResult;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A car that takes commands: a {@link TestCar} subscribed to its command topic, trusting the fleet key from its
 * registration response, with an in-memory replay memory, that reports results like the agent does.
 */
public final class CommandCar implements AutoCloseable {
    private final TestCar car;
    private final Mqtt5BlockingClient.Mqtt5Publishes inbox;
    private final CommandVerifier verifier;
    private final Map<String, Long> counters = new HashMap<>();
    private final Set<String> executed = new HashSet<>();
    private final Map<String, PublicKey> trusted = new ConcurrentHashMap<>();

    private CommandCar(TestCar car, PublicKey fleetKey, String fleetKeyId) {
        this.car = car;
        trusted.put(fleetKeyId, fleetKey);
        this.inbox = car.client().publishes(MqttGlobalPublishFilter.SUBSCRIBED);
        this.verifier = new CommandVerifier(
                car.vin(),
                new CommandVerifier.TrustedKeys() {
                    @Override
                    public Optional<PublicKey> key(String keyId) {
                        return Optional.ofNullable(trusted.get(keyId));
                    }

                    @Override
                    public boolean revoked(String keyId) {
                        return false;
                    }
                },
                new CommandVerifier.ReplayState() {
                    @Override
                    public long lastCounter(String keyId) {
                        return counters.getOrDefault(keyId, -1L);
                    }

                    @Override
                    public boolean executed(String commandId) {
                        return executed.contains(commandId);
                    }
                },
                Clock.systemUTC());
    }

    /**
     * A car (not yet connected) from a registration response ({@code credentials} and {@code commandKey}).
     */
    public static CommandCar of(Vin vin, JsonNode registration, int mqttPort) {
        JsonNode credentials = registration.path("credentials");
        TestCar car = TestCar.create(
                vin.value(),
                vin,
                credentials.path("certificatePem").asText(),
                credentials.path("privateKeyPem").asText(),
                credentials.path("caCertificatePem").asText(),
                mqttPort);
        JsonNode key = registration.path("commandKey");
        return new CommandCar(
                car,
                CommandKeys.decode(key.path("publicKey").asText()),
                key.path("keyId").asText());
    }

    /** Connects and subscribes to the car's command topic. */
    public CommandCar connect() {
        car.connect();
        car.subscribe(Topics.commands(car.vin()));
        return this;
    }

    public void disconnect() {
        car.close();
    }

    /** The next command publish, waiting at most {@code timeout}. */
    public Optional<Mqtt5Publish> next(Duration timeout) {
        try {
            return inbox.receive(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Verifies an envelope like the car's gate; an accepted one is remembered (counter and id). */
    public CommandVerifier.Verification verify(Mqtt5Publish publish) {
        CommandVerifier.Verification verification = verifier.verify(publish.getPayloadAsBytes());
        if (verification instanceof CommandVerifier.Verification.Accepted accepted) {
            counters.put(accepted.keyId(), accepted.body().getCounter());
            executed.add(accepted.body().getCommandId());
        }
        return verification;
    }

    /**
     * Trusts a user key from now on, as the agent does once someone in the car confirmed a {@code keys.pair} command
     * for it.
     */
    public void pair(String keyId, PublicKey key) {
        trusted.put(keyId, key);
    }

    /** Publishes a result on the car's result topic; returns the PUBACK. */
    public TestCar.Ack report(String commandId, CommandResult.Status status, String reason) {
        CommandResult result = CommandResult.newBuilder()
                .setCommandId(commandId)
                .setStatus(status)
                .setReason(reason)
                .setTsMs(System.currentTimeMillis())
                .build();
        return car.publish(Topics.commandResult(car.vin()), result.toByteArray(), Topics.CONTENT_TYPE_PROTOBUF);
    }

    public TestCar car() {
        return car;
    }

    /** How long tests wait for something that should arrive. */
    public static final Duration ARRIVES = Duration.ofSeconds(10);

    @Override
    public void close() {
        inbox.close();
        car.close();
    }
}
