package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.observe.Metrics;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a car by the client certificate of its TLS session (the handshake already required one that chains to
 * the fleet CA): the certificate's CN must be a VIN, the MQTT client id must equal that VIN (so no car can take over
 * another's session), the certificate must be within its validity period, and the serial must be issued to that VIN and
 * not revoked. All of it runs on every CONNECT, also when the TLS session was resumed from a ticket (whose handshake
 * checked no certificate): the certificate is then the one the ticket carries from the session's full handshake. Refusals are counted by reason in
 * {@code tsunagu_mqtt_auth_refused_total}; the connection then gets CONNACK "not authorized".
 */
final class VehicleAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(VehicleAuthenticator.class);

    private final CertificateTrust trust;
    private final Metrics metrics;
    private final Clock clock;

    VehicleAuthenticator(CertificateTrust trust, Metrics metrics, Clock clock) {
        this.trust = trust;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The authenticated car, or empty (already counted and logged) if the connection must be refused. */
    Optional<Vin> authenticate(Optional<X509Certificate> certificate, String clientId) {
        if (certificate.isEmpty()) {
            return refuse(clientId, "no_client_certificate", "a client certificate is required");
        }
        Optional<String> cn = commonName(certificate.get());
        if (cn.isEmpty() || !Vin.isValid(cn.get())) {
            return refuse(clientId, "certificate_not_a_vehicle", "certificate CN is not a VIN");
        }
        Vin vin = Vin.of(cn.get());
        if (!vin.value().equals(clientId)) {
            return refuse(clientId, "client_id_mismatch", "client id must equal the certificate's VIN " + vin);
        }
        if (!withinValidity(certificate.get())) {
            // The handshake checked the dates too, but a resumed session skips that check (and may outlive them).
            return refuse(clientId, "certificate_expired", "certificate is outside its validity period");
        }
        if (!trust.trusted(vin, certificate.get().getSerialNumber())) {
            return refuse(clientId, "certificate_revoked", "certificate is revoked or not issued to this VIN");
        }
        metrics.counter("tsunagu_mqtt_connects_total", "Cars authenticated on the MQTT gateway")
                .increment();
        return Optional.of(vin);
    }

    private Optional<Vin> refuse(String clientId, String code, String message) {
        metrics.counter("tsunagu_mqtt_auth_refused_total", "MQTT connections refused, by reason", "reason", code)
                .increment();
        LOG.warn("[client={}] connection refused ({}): {}", clientId, code, message);
        return Optional.empty();
    }

    private boolean withinValidity(X509Certificate certificate) {
        try {
            certificate.checkValidity(Date.from(clock.instant()));
            return true;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return false;
        }
    }

    static Optional<String> commonName(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
