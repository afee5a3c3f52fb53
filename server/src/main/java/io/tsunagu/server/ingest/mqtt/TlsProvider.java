package io.tsunagu.server.ingest.mqtt;

import java.util.Locale;

/**
 * Which TLS implementation the gateway's handshakes and records run on. Both verify client certificates the same way:
 * {@link FleetCaTrust} against the fleet CA (issuer, signature, validity, client end entity), then {@link
 * VehicleAuthenticator} (CN = VIN = client id, serial issued and not revoked).
 */
public enum TlsProvider {
    /** OpenSSL (BoringSSL through netty-tcnative) when its native library loads on this machine, else the JDK. */
    AUTO,
    /** The JDK's own TLS (JSSE). */
    JDK,
    /** OpenSSL (BoringSSL through netty-tcnative); the gateway does not start if the native library is missing. */
    OPENSSL;

    /** System property that overrides the default ({@code auto}, {@code jdk} or {@code openssl}). */
    public static final String PROPERTY = "tsunagu.mqtt.tls-provider";

    /** The provider named by the system property {@value #PROPERTY}, {@link #AUTO} if it is not set. */
    public static TlsProvider configured() {
        String value = System.getProperty(PROPERTY, "auto").strip().toUpperCase(Locale.ROOT);
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PROPERTY + " must be auto, jdk or openssl, got " + System.getProperty(PROPERTY), e);
        }
    }
}
