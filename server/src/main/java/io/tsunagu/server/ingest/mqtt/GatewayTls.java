package io.tsunagu.server.ingest.mqtt;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
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
import java.time.Clock;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TLS: the server key and certificate, TLS 1.3 and 1.2 only, and a client certificate REQUIRED that the
 * fleet CA issued. The certificate is checked by {@link FleetCaTrust} (issuer = a CA of the trust store, signature,
 * validity, TLS client end entity) with either provider (OpenSSL calls it back during the handshake), so expired
 * certificates and those of another CA are refused alike. {@code -D}{@value #CLIENT_TRUST_PROPERTY}{@code =pkix} uses
 * the JDK's generic PKIX trust manager instead (e.g. for a fleet CA with intermediates; costs about twice the CPU per
 * handshake).
 *
 * <p>OpenSSL (BoringSSL, netty-tcnative) is preferred: its handshakes ({@code connect-storm}) and records ({@code
 * ingest-max}) cost the server far less CPU than the JDK's (docs/architecture.md, "TLS provider").
 * Its engines are reference counted ({@link SslProvider#OPENSSL_REFCNT}): the {@code SslHandler} frees a connection's
 * native state when the connection closes, and the gateway releases the context when it closes. The server key is
 * handed to BoringSSL once ({@link OpenSslCachingX509KeyManagerFactory}), not re-encoded per handshake.
 */
final class GatewayTls {
    /** System property choosing the client certificate check: {@code fleet-ca} (default) or {@code pkix}. */
    static final String CLIENT_TRUST_PROPERTY = "tsunagu.mqtt.client-trust";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayTls.class);

    private GatewayTls() {}

    /** The server context; the caller releases it (a reference-counted OpenSSL context holds native memory). */
    static SslContext serverContext(MqttGatewayConfig config) {
        SslProvider provider = provider(config.tlsProvider());
        char[] password = config.storePassword().toCharArray();
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(config.keyStore(), password), password);
            TrustManager trust = clientTrust(load(config.trustStore(), password), provider);
            SslContextBuilder builder = provider == SslProvider.JDK
                    ? SslContextBuilder.forServer(keys)
                    : SslContextBuilder.forServer(new OpenSslCachingX509KeyManagerFactory(keys));
            return builder.trustManager(trust)
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .sslProvider(provider)
                    .build();
        } catch (GeneralSecurityException | IOException e) {
            throw new TsunaguException(
                    "tls_config_invalid", "cannot build the MQTT gateway's TLS context: " + e, false, e);
        }
    }

    /** The client certificate check of {@value #CLIENT_TRUST_PROPERTY}: the fleet CA's direct check unless pkix. */
    static TrustManager clientTrust(KeyStore trustStore, SslProvider provider) throws GeneralSecurityException {
        String wanted = System.getProperty(CLIENT_TRUST_PROPERTY, "fleet-ca").strip();
        if ("fleet-ca".equals(wanted)) {
            return FleetCaTrust.of(trustStore, Clock.systemUTC());
        }
        if (!"pkix".equals(wanted)) {
            throw new TsunaguException(
                    "tls_config_invalid", CLIENT_TRUST_PROPERTY + " must be fleet-ca or pkix, got " + wanted, false);
        }
        LOG.info("MQTT gateway: client certificates checked by the JDK's PKIX trust manager (configured)");
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        X509ExtendedTrustManager pkix = pkix(factory);
        return provider == SslProvider.JDK ? pkix : new OpenSslClientTrust(pkix);
    }

    /** The Netty provider for what is configured; logs the choice (and why OpenSSL is missing, if it is). */
    static SslProvider provider(TlsProvider wanted) {
        if (wanted == TlsProvider.JDK) {
            LOG.info("MQTT gateway TLS: JDK provider (configured)");
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            LOG.info("MQTT gateway TLS: OpenSSL provider ({})", OpenSsl.versionString());
            return SslProvider.OPENSSL_REFCNT;
        }
        String cause = String.valueOf(OpenSsl.unavailabilityCause());
        if (wanted == TlsProvider.OPENSSL) {
            throw new TsunaguException(
                    "tls_config_invalid",
                    "OpenSSL was configured for the MQTT gateway but cannot load: " + cause,
                    false);
        }
        LOG.info("MQTT gateway TLS: JDK provider (OpenSSL not available: {})", cause);
        return SslProvider.JDK;
    }

    private static X509ExtendedTrustManager pkix(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new TsunaguException("tls_config_invalid", "the JDK offers no X.509 trust manager", false);
    }

    private static KeyStore load(Path file, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }
}
