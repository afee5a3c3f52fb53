package io.tsunagu.server.ingest.mqtt;

import java.nio.file.Path;

/**
 * Where and how the gateway listens.
 *
 * @param bindAddress listener address ({@code 0.0.0.0} for all interfaces)
 * @param port TLS listener port (default 8883)
 * @param keyStore PKCS#12 file with the server's TLS key and certificate
 * @param trustStore PKCS#12 file with the fleet CA certificate that client certificates must chain to
 * @param storePassword password of both stores
 * @param maxPacketBytes MQTT packets larger than this are refused by the broker itself (protects memory); the
 *     per-message telemetry limit of the ingest pipeline is lower and answered with a reason code instead
 * @param workDir broker configuration and data directory
 */
public record MqttGatewayConfig(
        String bindAddress,
        int port,
        Path keyStore,
        Path trustStore,
        String storePassword,
        int maxPacketBytes,
        Path workDir) {}
