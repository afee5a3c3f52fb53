package io.tsunagu.agent;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An embedded HiveMQ CE with one TLS listener that requires a client certificate from the test CA, and a tiny
 * extension that admits a client only if its certificate's CN equals its client identifier, records every inbound
 * PUBLISH and answers it with the PUBACK reason code a test chose for that client (success by default).
 */
public final class TestBroker implements AutoCloseable {
    /** One PUBLISH as the broker received it. */
    record Received(String clientId, String topic, String contentType, byte[] payload) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Per client id: the PUBACK reason code for each of its PUBLISHes; clients without an entry get success. */
    final Map<String, Function<Received, AckReasonCode>> acks = new ConcurrentHashMap<>();

    public final int port;
    private final Path dir;
    private EmbeddedHiveMQ hivemq;

    public TestBroker(Path dir, TestPki pki) throws Exception {
        port = freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        pki.writeServerStores(conf.resolve("server.p12"), conf.resolve("trust.p12"));
        Files.writeString(conf.resolve("config.xml"), config(conf));
        this.dir = dir;
        this.hivemq = build();
    }

    // A stopped in-memory HiveMQ cannot start again (its metrics stay registered), so a restart builds a new one.
    private EmbeddedHiveMQ build() throws Exception {
        Path conf = dir.resolve("conf");
        return EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("tsunagu-test")
                        .withName("tsunagu test")
                        .withVersion("1")
                        .withAuthor("tsunagu")
                        .withPriority(0)
                        .withStartPriority(1000)
                        .withExtensionMain(new Main())
                        .build())
                .build();
    }

    public void start() {
        hivemq.start().join();
    }

    /** Stops the broker; a later {@link #start()} brings up a fresh one on the same port. */
    void stop() throws Exception {
        hivemq.close();
        hivemq = build();
    }

    /** Whether the client holds a subscription to exactly this topic filter. */
    public boolean subscribed(String clientId, String topicFilter) {
        return Services.subscriptionStore().getSubscriptions(clientId).join().stream()
                .anyMatch(s -> s.getTopicFilter().equals(topicFilter));
    }

    /**
     * Publishes to one client's own subscription (QoS 1) through HiveMQ's extension publish service, as the cloud's
     * MQTT gateway sends commands; true once the broker took it for a matching subscription of that client.
     */
    public boolean publishToClient(String clientId, String topic, byte[] payload) {
        Publish publish = Builders.publish()
                .topic(topic)
                .qos(Qos.AT_LEAST_ONCE)
                .payload(ByteBuffer.wrap(payload))
                .build();
        return Services.publishService().publishToClient(publish, clientId).join() == PublishToClientResult.SUCCESSFUL;
    }

    @Override
    public void close() throws Exception {
        hivemq.close();
    }

    private String config(Path conf) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                      <tls>
                        <keystore>
                          <path>%s</path>
                          <password>changeit</password>
                          <private-key-password>changeit</private-key-password>
                        </keystore>
                        <truststore>
                          <path>%s</path>
                          <password>changeit</password>
                        </truststore>
                        <client-authentication-mode>REQUIRED</client-authentication-mode>
                      </tls>
                    </tls-tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, conf.resolve("server.p12"), conf.resolve("trust.p12"));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private final class Main implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(in -> (SimpleAuthenticator) (auth, out) -> {
                String cn = auth.getConnectionInformation()
                        .getClientTlsInformation()
                        .flatMap(tls -> tls.getClientCertificate())
                        .map(cert -> cert.getSubjectX500Principal().getName())
                        .orElse("");
                if (cn.equals("CN=" + auth.getClientInformation().getClientId())) {
                    out.authenticateSuccessfully();
                } else {
                    out.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "certificate CN does not match client id");
                }
            });
            PublishInboundInterceptor recorder = (in, out) -> {
                var packet = in.getPublishPacket();
                String contentType = packet.getContentType().orElse("");
                byte[] payload = packet.getPayload().map(TestBroker::bytes).orElse(new byte[0]);
                Received publish =
                        new Received(in.getClientInformation().getClientId(), packet.getTopic(), contentType, payload);
                received.add(publish);
                AckReasonCode code = acks.getOrDefault(publish.clientId(), p -> AckReasonCode.SUCCESS)
                        .apply(publish);
                if (code != AckReasonCode.SUCCESS) {
                    out.preventPublishDelivery(code, "test broker answers " + code);
                }
            };
            Services.initializerRegistry()
                    .setClientInitializer((in, client) -> client.addPublishInboundInterceptor(recorder));
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
