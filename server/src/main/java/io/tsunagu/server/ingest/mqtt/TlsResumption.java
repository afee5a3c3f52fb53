package io.tsunagu.server.ingest.mqtt;

import java.time.Duration;
import java.util.Locale;

/**
 * TLS 1.3 session resumption on the gateway (stateless session tickets, RFC 8446 §4.6.1): a car that reconnects
 * (after sleep, a tunnel, a cell handover) presents the ticket of its last session and skips both certificate
 * signatures and the certificate check of the handshake. The identity checks still run on every CONNECT
 * ({@link VehicleAuthenticator}: CN = VIN = client id, serial issued and not revoked, certificate within its validity),
 * on the certificate the ticket carries.
 *
 * <p>The ticket keys rotate every {@code ticketLifetime} and the previous key still decrypts, so a ticket is honoured
 * for at least its lifetime and never after twice its lifetime, whatever the TLS library's own timers say.
 *
 * @param enabled false: no tickets are issued and every connect is a full handshake
 * @param ticketLifetime how long a ticket is valid (the session timeout and the ticket key rotation period); 1 minute to
 *     7 days (RFC 8446 §4.6.1 caps a ticket's lifetime at 7 days)
 */
public record TlsResumption(boolean enabled, Duration ticketLifetime) {
    /** System property turning resumption {@code on} (default) or {@code off}. */
    public static final String PROPERTY = "tsunagu.mqtt.tls-resumption";
    /** System property with the ticket lifetime in hours (default {@value #DEFAULT_LIFETIME_HOURS}). */
    public static final String LIFETIME_PROPERTY = "tsunagu.mqtt.tls-ticket-lifetime-hours";

    static final long DEFAULT_LIFETIME_HOURS = 12;

    public TlsResumption {
        if (ticketLifetime.compareTo(Duration.ofMinutes(1)) < 0 || ticketLifetime.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("ticket lifetime must be 1 minute to 7 days, got " + ticketLifetime);
        }
    }

    /** Resumption turned off. */
    public static TlsResumption off() {
        return new TlsResumption(false, Duration.ofHours(DEFAULT_LIFETIME_HOURS));
    }

    /** What the system properties {@value #PROPERTY} and {@value #LIFETIME_PROPERTY} say (default: on, 12 hours). */
    public static TlsResumption configured() {
        String enabled = System.getProperty(PROPERTY, "on").strip().toLowerCase(Locale.ROOT);
        if (!"on".equals(enabled) && !"off".equals(enabled)) {
            throw new IllegalArgumentException(PROPERTY + " must be on or off, got " + enabled);
        }
        String hours = System.getProperty(LIFETIME_PROPERTY, String.valueOf(DEFAULT_LIFETIME_HOURS))
                .strip();
        try {
            return new TlsResumption("on".equals(enabled), Duration.ofHours(Long.parseLong(hours)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(LIFETIME_PROPERTY + " must be a whole number of hours, got " + hours, e);
        }
    }

    /** How often the ticket key rotates: once per lifetime, so the previous key covers every live ticket. */
    Duration keyRotation() {
        return ticketLifetime;
    }
}
