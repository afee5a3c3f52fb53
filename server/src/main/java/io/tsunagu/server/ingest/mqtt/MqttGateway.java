package io.tsunagu.server.ingest.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.ingest.IngestPipeline;
import io.tsunagu.server.observe.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded HiveMQ CE broker with one mutual-TLS listener and Tsunagu's embedded extension. The broker keeps
 * sessions in memory only: telemetry never rests in it (the interceptor takes it off), and commands do not rely on
 * its session queue, so nothing acknowledged depends on broker state.
 */
public final class MqttGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttGateway.class);

    private final MqttGatewayConfig config;
    private final ConnectionTracker tracker;
    private final VehicleAuthenticator authenticator;
    private final TelemetryInterceptor interceptor;
    private final CommandInterceptor commandInterceptor;
    private EmbeddedHiveMQ broker;

    public MqttGateway(
            MqttGatewayConfig config,
            CertificateTrust trust,
            IngestPipeline pipeline,
            ConnectionListener connections,
            CommandChannel commands,
            Metrics metrics,
            Clock clock) {
        this.config = config;
        this.tracker = new ConnectionTracker(connections, clock);
        this.authenticator = new VehicleAuthenticator(trust, metrics);
        this.interceptor = new TelemetryInterceptor(pipeline);
        this.commandInterceptor = new CommandInterceptor(commands);
        metrics.gauge("tsunagu_mqtt_cars_online", "Cars with an authenticated MQTT connection", tracker::onlineCars);
    }

    /** Starts the broker; returns once the TLS listener accepts connections. */
    public void start() {
        Path conf = config.workDir().resolve("conf");
        Path data = config.workDir().resolve("data");
        Path extensions = config.workDir().resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Path configFile = conf.resolve("config.xml");
            Files.writeString(configFile, configXml());
            Files.setPosixFilePermissions(configFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker directory " + config.workDir(), e);
        }
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("tsunagu-gateway")
                .withName("Tsunagu gateway")
                .withVersion("1")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new GatewayExtension())
                .build();
        broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(extension)
                .withoutLoggingBootstrap()
                .build();
        await(broker.start(), "start");
        LOG.info(
                "MQTT gateway listening on {}:{} (TLS, client certificates required)",
                config.bindAddress(),
                config.port());
    }

    /** Disconnects a car's live session (after revocation), so the revoked certificate stops working at once. */
    public CompletableFuture<Boolean> disconnect(Vin vin) {
        return Services.clientService().disconnectClient(vin.value(), false);
    }

    /** True while the car has at least one authenticated connection to this broker. */
    public boolean online(Vin vin) {
        return tracker.online(vin);
    }

    /**
     * Publishes to the car's own subscription only (QoS 1, MQTT 5 message expiry {@code expiry}, rounded up to whole
     * seconds, at least 1). Goes through HiveMQ's extension publish service, not a client connection.
     *
     * @return true once the broker took the message for the car's subscription, false if the car has no subscription
     *     matching {@code topic}
     */
    public CompletableFuture<Boolean> publishToCar(Vin vin, String topic, byte[] payload, Duration expiry) {
        return publishToCar(vin, topic, payload, expiry, Topics.CONTENT_TYPE_PROTOBUF);
    }

    /** Like {@link #publishToCar(Vin, String, byte[], Duration)} with another MQTT 5 content type. */
    public CompletableFuture<Boolean> publishToCar(
            Vin vin, String topic, byte[] payload, Duration expiry, String contentType) {
        long expirySeconds = Math.max(1, (expiry.toMillis() + 999) / 1000);
        Publish publish = Builders.publish()
                .topic(topic)
                .qos(Qos.AT_LEAST_ONCE)
                .messageExpiryInterval(expirySeconds)
                .contentType(contentType)
                .payload(ByteBuffer.wrap(payload))
                .build();
        return Services.publishService()
                .publishToClient(publish, vin.value())
                .thenApply(result -> result == PublishToClientResult.SUCCESSFUL);
    }

    /** Port of the TLS listener. */
    public int port() {
        return config.port();
    }

    private String configXml() {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>tsunagu-mtls</name>
                      <tls>
                        <keystore>
                          <path>%s</path>
                          <password>%s</password>
                          <private-key-password>%s</private-key-password>
                        </keystore>
                        <truststore>
                          <path>%s</path>
                          <password>%s</password>
                        </truststore>
                        <client-authentication-mode>REQUIRED</client-authentication-mode>
                        <protocols>
                          <protocol>TLSv1.3</protocol>
                          <protocol>TLSv1.2</protocol>
                        </protocols>
                      </tls>
                    </tls-tcp-listener>
                  </listeners>
                  <mqtt>
                    <packets>
                      <max-packet-size>%d</max-packet-size>
                    </packets>
                  </mqtt>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(
                        config.port(),
                        config.bindAddress(),
                        config.keyStore().toAbsolutePath(),
                        config.storePassword(),
                        config.storePassword(),
                        config.trustStore().toAbsolutePath(),
                        config.storePassword(),
                        config.maxPacketBytes());
    }

    private final class GatewayExtension implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
            Services.initializerRegistry().setClientInitializer((initInput, clientContext) -> {
                clientContext.addPublishInboundInterceptor(interceptor);
                clientContext.addPublishInboundInterceptor(commandInterceptor);
                clientContext.addSubscribeInboundInterceptor(commandInterceptor);
            });
            Services.eventRegistry().setClientLifecycleEventListener(providerInput -> tracker);
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
            // Nothing to release: the pipeline is closed by its owner after the broker stops.
        }
    }

    private static void await(CompletableFuture<Void> future, String what) {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new TsunaguException(
                    "broker_failed", "MQTT broker failed to " + what + ": " + e.getCause(), false, e.getCause());
        } catch (TimeoutException e) {
            throw new TsunaguException("broker_failed", "MQTT broker did not " + what + " within 60 s", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TsunaguException("interrupted", "interrupted while the broker was starting", true, e);
        }
    }

    /** Stops the broker; connected cars see the connection drop (and their will is published). */
    @Override
    public void close() {
        if (broker != null) {
            try {
                broker.stop().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("MQTT broker did not stop cleanly: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                broker.close();
            } catch (Exception e) {
                LOG.warn("MQTT broker close failed: {}", e.toString());
            }
            broker = null;
        }
    }
}
