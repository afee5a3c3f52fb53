package io.tsunagu.server.ingest.mqtt;

import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.internal.tcnative.SSL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session resumption on the gateway's TLS context ({@link TlsResumption}). On OpenSSL: stateless TLS 1.3 session
 * tickets under the gateway's own {@link TicketKeys} (persisted, rotated), and no server-side session cache, so ten
 * thousand resumable cars cost the server no memory; the session timeout bounds a ticket's lifetime. Turned off, no
 * ticket is issued or accepted and nothing is cached: Netty clears {@code SSL_OP_NO_TICKET} on every TLS 1.3 engine
 * (BoringSSL then issues tickets under its own in-memory keys), so {@link #newConnection} sets it again per connection.
 *
 * <p>On the JDK provider the JDK's own stateless tickets apply (TLS 1.3, keys in memory only, so a restart means
 * full handshakes); only the lifetime is set, and resumption cannot be turned off per context there.
 */
final class GatewayResumption {
    /** Handshake kinds in {@code tsunagu_mqtt_tls_handshakes_total}. */
    enum Kind {
        FULL,
        RESUMED,
        /** The JDK provider does not say whether a session was resumed. */
        UNKNOWN
    }

    private static final Logger LOG = LoggerFactory.getLogger(GatewayResumption.class);
    /** Ties tickets to this service (OpenSSL refuses to resume a client-authenticated session without one). */
    private static final byte[] SESSION_ID_CONTEXT = "tsunagu-mqtt".getBytes(StandardCharsets.US_ASCII);

    private final Optional<OpenSslServerSessionContext> openSsl;
    private final Optional<TicketKeys> keys;
    private final boolean enabled;

    private GatewayResumption(
            Optional<OpenSslServerSessionContext> openSsl, Optional<TicketKeys> keys, boolean enabled) {
        this.openSsl = openSsl;
        this.keys = keys;
        this.enabled = enabled;
    }

    /** Configures {@code tls}'s session context; the ticket keys (OpenSSL, enabled) live in {@code keyDir}. */
    static GatewayResumption configure(SslContext tls, TlsResumption settings, Path keyDir, Clock clock) {
        SSLSessionContext context = tls.sessionContext();
        int lifetimeS = (int) settings.ticketLifetime().toSeconds();
        if (!(context instanceof OpenSslServerSessionContext sessions)) {
            context.setSessionTimeout(lifetimeS);
            LOG.info(
                    "MQTT gateway TLS resumption: the JDK's own session tickets, {} s{}",
                    lifetimeS,
                    settings.enabled() ? "" : " (cannot be turned off on the JDK provider)");
            return new GatewayResumption(Optional.empty(), Optional.empty(), settings.enabled());
        }
        sessions.setSessionCacheEnabled(false); // stateless only: no per-session memory on the server
        sessions.setSessionIdContext(SESSION_ID_CONTEXT);
        if (!settings.enabled()) {
            LOG.info("MQTT gateway TLS resumption: off (every connect is a full handshake)");
            return new GatewayResumption(Optional.of(sessions), Optional.empty(), false);
        }
        sessions.setSessionTimeout(lifetimeS);
        TicketKeys keys = TicketKeys.open(keyDir, settings.keyRotation(), clock);
        sessions.setTicketKeys(keys.openSsl());
        LOG.info(
                "MQTT gateway TLS resumption: session tickets valid {} s, key rotated every {}",
                lifetimeS,
                settings.keyRotation());
        return new GatewayResumption(Optional.of(sessions), Optional.of(keys), true);
    }

    /** How often {@link #rotateIfDue()} runs: every minute, or every quarter of a rotation period shorter than that. */
    static Duration checkInterval(TlsResumption settings) {
        Duration quarter = settings.keyRotation().dividedBy(4);
        return quarter.compareTo(Duration.ofMinutes(1)) < 0 ? quarter : Duration.ofMinutes(1);
    }

    /** Rotates the ticket key when due and hands the new pair to OpenSSL; true if it rotated. */
    boolean rotateIfDue() {
        if (keys.isEmpty() || openSsl.isEmpty() || !keys.get().rotateIfDue()) {
            return false;
        }
        openSsl.get().setTicketKeys(keys.get().openSsl());
        return true;
    }

    /** Prepares a new connection's engine: with resumption off, OpenSSL neither issues nor accepts a ticket on it. */
    void newConnection(SSLEngine engine) {
        if (!enabled && engine instanceof ReferenceCountedOpenSslEngine openSslEngine) {
            SSL.setOptions(openSslEngine.sslPointer(), SSL.SSL_OP_NO_TICKET);
        }
    }

    /** Whether the handshake that just completed on {@code engine} resumed a session. */
    static Kind kind(SSLEngine engine) {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            return SSL.isSessionReused(openSsl.sslPointer()) ? Kind.RESUMED : Kind.FULL;
        }
        return Kind.UNKNOWN;
    }
}
