package io.tsunagu.agent.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.update.internal.DdiActionChannel;
import io.tsunagu.agent.update.internal.UptaneMetadataChannel;
import io.tsunagu.protocol.Vin;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A car's whole update stack, wired: the {@link AbUpdateSystem} (booted, so an interrupted install is resolved before
 * anything else), the DDI {@link ActionChannel} that also delivers its steps, the Uptane {@link MetadataChannel}, and
 * the {@link UpdateClient}, all over one HTTPS client that presents the car's certificate. The MQTT side hands
 * notifications from {@code vehicles/{vin}/updates} to {@link #onNotification}.
 */
public final class CarUpdates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CarUpdates.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Vin vin;
    private final AbUpdateSystem ab;
    private final UpdateClient client;

    private CarUpdates(Vin vin, AbUpdateSystem ab, UpdateClient client) {
        this.vin = vin;
        this.ab = ab;
        this.client = client;
    }

    /** Boots the A/B systems under {@code dir} and builds the client; nothing is polled before {@link #start()}. */
    public static CarUpdates open(Vin vin, AgentCredentials credentials, UpdateSettings settings, Path dir) {
        Clock clock = settings.clock();
        HttpClient http = HttpClient.newBuilder()
                .sslContext(credentials.sslContext())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        DdiActionChannel actions = new DdiActionChannel(settings.origin(), settings.tenant(), vin, http, TIMEOUT);
        AbUpdateConfig.Builder abConfig = AbUpdateConfig.builder(vin, dir.resolve("ab"))
                .healthCheck(settings.healthCheck())
                .reporter(actions)
                .clock(clock);
        settings.factoryVersions().forEach(abConfig::ecu);
        AbUpdateSystem ab = AbUpdateSystem.boot(abConfig.build());
        UpdateClientConfig config = UpdateClientConfig.of(
                        vin,
                        dir.resolve("client"),
                        settings.hardwareIds(),
                        settings.directorRoot(),
                        settings.imageRoot())
                .withPollIntervalMs(settings.pollIntervalMs())
                .withClock(clock);
        UpdateClient client = new UpdateClient(
                config,
                ab,
                actions,
                new UptaneMetadataChannel(settings.origin(), vin, http, TIMEOUT),
                http,
                settings.scheduler());
        return new CarUpdates(vin, ab, client);
    }

    /** Starts the poll timer (the first round runs at once). */
    public void start() {
        client.start();
    }

    /** The car (re)connected: look for work now. */
    public void connected() {
        client.trigger();
    }

    /**
     * A message on {@code vehicles/{vin}/updates}: {@code {"actionId": 42, "state": "offered"|"canceling"}}. Only a
     * hint: the round that follows asks the cloud what is really open. Malformed hints still trigger a round.
     */
    public void onNotification(byte[] payload) {
        try {
            JsonNode node = MAPPER.readTree(payload);
            if ("canceling".equals(node.path("state").asText())
                    && node.path("actionId").canConvertToLong()) {
                client.cancelHint(
                        UpdateActionId.of(Long.toString(node.path("actionId").asLong())));
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: unreadable update notification: {}", vin, e.toString());
        }
        client.trigger();
    }

    /** The A/B systems (what the car runs, the outbox). */
    public AbUpdateSystem ab() {
        return ab;
    }

    /** The update client. */
    public UpdateClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        ab.close();
    }
}
