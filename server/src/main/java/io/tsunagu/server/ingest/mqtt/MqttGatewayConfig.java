package io.tsunagu.server.ingest.mqtt;

import java.nio.file.Path;

/**
 * Where and how the gateway listens.
 *
 * @param bindAddress listener address ({@code 0.0.0.0} for all interfaces)
 * @param port TLS listener port (default 8883; 0 picks a free one, see {@link MqttGateway#port()})
 * @param keyStore PKCS#12 file with the server's TLS key and certificate
 * @param trustStore PKCS#12 file with the fleet CA certificate that client certificates must chain to
 * @param storePassword password of both stores
 * @param maxPacketBytes MQTT packets larger than this end the connection (DISCONNECT 0x95; protects memory); the
 *     per-message telemetry limit of the ingest pipeline is lower and answered with a reason code instead
 * @param workDir the gateway's directory (holds the TLS stores' directory and the TLS session ticket keys)
 * @param receiveMaximum QoS 1 publishes a car may have unacknowledged on one connection (MQTT 5 Receive Maximum,
 *     1..65,535); more end the connection (DISCONNECT 0x93)
 * @param tlsProvider the TLS implementation ({@link TlsProvider#AUTO}: OpenSSL where its native library loads)
 * @param resumption TLS session resumption (stateless tickets; the keys live in {@code workDir})
 */
public record MqttGatewayConfig(
        String bindAddress,
        int port,
        Path keyStore,
        Path trustStore,
        String storePassword,
        int maxPacketBytes,
        Path workDir,
        int receiveMaximum,
        TlsProvider tlsProvider,
        TlsResumption resumption) {
    /** Receive Maximum advertised to cars unless configured: enough to keep a connection busy across commits. */
    public static final int DEFAULT_RECEIVE_MAXIMUM = 1024;

    public MqttGatewayConfig {
        if (receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("receiveMaximum must be 1..65535, got " + receiveMaximum);
        }
        if (maxPacketBytes < 128) {
            throw new IllegalArgumentException("maxPacketBytes must be at least 128, got " + maxPacketBytes);
        }
    }

    /**
     * With the default Receive Maximum ({@value #DEFAULT_RECEIVE_MAXIMUM}), and the TLS provider and session resumption
     * of the system properties ({@link TlsProvider#configured()}, {@link TlsResumption#configured()}).
     */
    public MqttGatewayConfig(
            String bindAddress,
            int port,
            Path keyStore,
            Path trustStore,
            String storePassword,
            int maxPacketBytes,
            Path workDir) {
        this(
                bindAddress,
                port,
                keyStore,
                trustStore,
                storePassword,
                maxPacketBytes,
                workDir,
                DEFAULT_RECEIVE_MAXIMUM,
                TlsProvider.configured(),
                TlsResumption.configured());
    }
}
