package io.tsunagu.server.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A car made of a plain MQTT 5 client library (HiveMQ client) with the car's certificate: what any third-party
 * telematics unit would look like to the gateway.
 */
public final class TestCar implements AutoCloseable {
    private final Vin vin;
    private final Mqtt5BlockingClient client;

    /** The PUBACK a publish got back. */
    public record Ack(Mqtt5PubAckReasonCode code, Optional<String> reason) {
        public boolean success() {
            return !code.isError();
        }
    }

    private TestCar(Vin vin, Mqtt5BlockingClient client) {
        this.vin = vin;
        this.client = client;
    }

    /** A client (not yet connected) presenting {@code credentials}, with client id = {@code clientId}. */
    public static TestCar create(String clientId, Vin vin, IssuedCredentials credentials, int port) {
        return create(
                clientId,
                vin,
                credentials.certificatePem(),
                credentials.privateKeyPem(),
                credentials.caCertificatePem(),
                port);
    }

    public static TestCar create(String clientId, Vin vin, String certPem, String keyPem, String caPem, int port) {
        return create(clientId, vin, sslConfig(certPem, keyPem, caPem), port);
    }

    /** A client (not yet connected) with any TLS settings. */
    public static TestCar create(String clientId, Vin vin, MqttClientSslConfig ssl, int port) {
        return new TestCar(vin, mqtt5(clientId, port, ssl));
    }

    /** A client that trusts the server but presents no client certificate at all. */
    public static TestCar withoutCertificate(String clientId, Vin vin, String caPem, int port) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(PemKeys.trustStore(caPem));
            return create(
                    clientId,
                    vin,
                    MqttClientSslConfig.builder().trustManagerFactory(tmf).build(),
                    port);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An MQTT 3.1.1 client (not yet connected) with the car's credentials and client id = VIN. */
    public static Mqtt3BlockingClient mqtt3(Vin vin, IssuedCredentials credentials, int port) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(vin.value())
                .serverHost("localhost")
                .serverPort(port)
                .sslConfig(sslConfig(
                        credentials.certificatePem(), credentials.privateKeyPem(), credentials.caCertificatePem()))
                .buildBlocking();
    }

    /** TLS settings presenting {@code certPem}/{@code keyPem} and trusting the server's CA {@code caPem}. */
    public static MqttClientSslConfig sslConfig(String certPem, String keyPem, String caPem) {
        return sslConfig(certPem, keyPem, caPem, caPem);
    }

    /** TLS settings presenting {@code certPem} (chain {@code chainPem}) and trusting {@code trustedCaPem}. */
    public static MqttClientSslConfig sslConfig(String certPem, String keyPem, String chainPem, String trustedCaPem) {
        try {
            char[] password = "test".toCharArray();
            KeyStore keyStore = PemKeys.keyStore(certPem, keyPem, chainPem, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(PemKeys.trustStore(trustedCaPem));
            return MqttClientSslConfig.builder()
                    .keyManagerFactory(kmf)
                    .trustManagerFactory(tmf)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Mqtt5BlockingClient mqtt5(String clientId, int port, MqttClientSslConfig ssl) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("localhost")
                .serverPort(port)
                .sslConfig(ssl)
                .buildBlocking();
    }

    /** Connects as the car itself (client id = VIN). */
    public static TestCar connect(Vin vin, IssuedCredentials credentials, int port) {
        TestCar car = create(vin.value(), vin, credentials, port);
        car.connect();
        return car;
    }

    public void connect() {
        client.connect();
    }

    /**
     * Connects and returns the CONNACK reason code of the refusal this test expects; fails the test if the broker
     * accepted the connection (which is then closed).
     */
    public Mqtt5ConnAckReasonCode connectExpectingRefusal() {
        try {
            client.connect();
        } catch (Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
        client.disconnect();
        throw new AssertionError("the broker accepted the connection of " + vin);
    }

    public Vin vin() {
        return vin;
    }

    public Mqtt5BlockingClient client() {
        return client;
    }

    /** Publishes JSON telemetry on the car's own topic with QoS 1 and returns the PUBACK. */
    public Ack sendJson(String json) {
        return publish(Topics.telemetry(vin), json.getBytes(StandardCharsets.UTF_8), Topics.CONTENT_TYPE_JSON);
    }

    /** Publishes {@code payload} to any topic with QoS 1 and returns the PUBACK. */
    public Ack publish(String topic, byte[] payload, String contentType) {
        Mqtt5PubAck ack;
        try {
            Mqtt5PublishResult result = client.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .contentType(contentType)
                    .payload(payload)
                    .send();
            ack = ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck();
        } catch (Mqtt5PubAckException e) {
            ack = e.getMqttMessage();
        }
        return new Ack(ack.getReasonCode(), ack.getReasonString().map(Object::toString));
    }

    /** Subscribes to {@code topicFilter} with QoS 1 and returns the SUBACK reason codes (also when refused). */
    public List<Mqtt5SubAckReasonCode> subscribe(String topicFilter) {
        Mqtt5SubAck ack;
        try {
            ack = client.subscribeWith()
                    .topicFilter(topicFilter)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
        } catch (Mqtt5SubAckException e) {
            ack = e.getMqttMessage();
        }
        return ack.getReasonCodes();
    }

    public boolean connected() {
        return client.getState().isConnected();
    }

    @Override
    public void close() {
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }
}
