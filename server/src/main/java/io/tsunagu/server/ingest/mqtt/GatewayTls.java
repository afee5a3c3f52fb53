package io.tsunagu.server.ingest.mqtt;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tsunagu.protocol.TsunaguException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The gateway's TLS: the server key and certificate, TLS 1.3 and 1.2 only, and a client certificate REQUIRED that
 * chains to the fleet CA (PKIX validation by the JDK, which also refuses expired certificates). The JDK provider is
 * used: its handshake alerts ({@code certificate_required}, {@code certificate_unknown}) are what cars and tests
 * expect, and the native BoringSSL provider was not measured to help enough to bring in.
 */
final class GatewayTls {
    private GatewayTls() {}

    static SslContext serverContext(MqttGatewayConfig config) {
        char[] password = config.storePassword().toCharArray();
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(config.keyStore(), password), password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(config.trustStore(), password));
            return SslContextBuilder.forServer(keys)
                    .trustManager(trust)
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (GeneralSecurityException | IOException e) {
            throw new TsunaguException(
                    "tls_config_invalid", "cannot build the MQTT gateway's TLS context: " + e, false, e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }
}
