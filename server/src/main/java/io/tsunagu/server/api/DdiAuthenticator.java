package io.tsunagu.server.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.update.ddi.DdiSettings;
import io.tsunagu.server.update.ddi.DdiTokens;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may act as DDI controller {@code controllerId} (= VIN), following hawkBit's DDI security: {@code Authorization:
 * TargetToken <token>} of that car, {@code Authorization: GatewayToken <token>} (any registered car), or, on the
 * HTTPS listener without an {@code Authorization} header, the car's own client certificate from the fleet CA (CN =
 * VIN, not revoked). A wrong or missing credential, or another car's target token, answers 401 as hawkBit does; a
 * tenant other than the configured one, or a controller that is no registered, unrevoked car, answers 404. Every
 * refusal is counted in {@code tsunagu_ddi_rejected_total{reason}}.
 */
public final class DdiAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DdiAuthenticator.class);
    private static final String TARGET_TOKEN = "TargetToken ";
    private static final String GATEWAY_TOKEN = "GatewayToken ";

    private final DdiSettings settings;
    private final DdiTokens tokens;
    private final VehicleRegistry registry;
    private final Metrics metrics;

    public DdiAuthenticator(DdiSettings settings, DdiTokens tokens, VehicleRegistry registry, Metrics metrics) {
        this.settings = settings;
        this.tokens = tokens;
        this.registry = registry;
        this.metrics = metrics;
    }

    /** The car the request may act as; throws the 401 or 404 {@link ApiException} otherwise. */
    Vin authenticate(ServerRequest req) {
        String tenant = req.path().pathParameters().get("tenant");
        if (!settings.servesTenant(tenant)) {
            throw refused(404, "unknown_tenant", "tenant '" + tenant + "' not found");
        }
        String controllerId = req.path().pathParameters().get("controllerId");
        Optional<Vin> wanted = Vin.isValid(controllerId) ? Optional.of(Vin.of(controllerId)) : Optional.empty();
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent()) {
            return byToken(header.get().strip(), controllerId, wanted);
        }
        return byCertificate(req, controllerId, wanted);
    }

    /** Counts a refused DDI request that got past authentication (bad body, conflicting report). */
    void rejected(String reason) {
        count(reason);
    }

    private Vin byToken(String header, String controllerId, Optional<Vin> wanted) {
        if (startsWithIgnoreCase(header, TARGET_TOKEN)) {
            Optional<Vin> owner = tokens.authenticateTarget(
                    header.substring(TARGET_TOKEN.length()).strip());
            if (owner.isEmpty() || !owner.equals(wanted)) {
                // hawkBit: a target token authenticates only its own controller; anything else is 401.
                throw refused(401, "bad_target_token", "target token not valid for controller " + controllerId);
            }
            return registered(owner.get(), controllerId);
        }
        if (startsWithIgnoreCase(header, GATEWAY_TOKEN)) {
            if (!tokens.isGatewayToken(header.substring(GATEWAY_TOKEN.length()).strip())) {
                throw refused(401, "bad_gateway_token", "gateway token not valid");
            }
            return registered(wanted.orElseThrow(() -> controllerNotFound(controllerId)), controllerId);
        }
        throw refused(
                401,
                "unsupported_authorization",
                "expected 'Authorization: TargetToken <token>' or" + " 'GatewayToken <token>'");
    }

    private Vin byCertificate(ServerRequest req, String controllerId, Optional<Vin> wanted) {
        Optional<X509Certificate> certificate =
                req.isSecure() ? req.remotePeer().tlsCertificates().flatMap(DdiAuthenticator::leaf) : Optional.empty();
        if (certificate.isEmpty()) {
            throw refused(
                    401,
                    "unauthenticated",
                    "missing 'Authorization: TargetToken <token>' header or client" + " certificate");
        }
        Optional<String> cn = commonName(certificate.get());
        if (wanted.isEmpty()
                || cn.isEmpty()
                || !cn.get().equals(wanted.get().value())
                || !registry.certificateTrusted(wanted.get(), certificate.get().getSerialNumber())) {
            throw refused(401, "bad_certificate", "client certificate not valid for controller " + controllerId);
        }
        return registered(wanted.get(), controllerId);
    }

    private Vin registered(Vin vin, String controllerId) {
        if (registry.find(vin).filter(v -> !v.revoked()).isEmpty()) {
            throw controllerNotFound(controllerId);
        }
        return vin;
    }

    private ApiException controllerNotFound(String controllerId) {
        return refused(404, "unknown_controller", "controller " + controllerId + " not found");
    }

    private ApiException refused(int status, String reason, String message) {
        count(reason);
        LOG.debug("[controller] DDI request refused ({}): {}", reason, message);
        return new ApiException(status, status == 401 ? "unauthenticated" : "not_found", message);
    }

    private void count(String reason) {
        metrics.counter("tsunagu_ddi_rejected_total", "DDI requests refused, by reason", "reason", reason)
                .increment();
    }

    private static Optional<X509Certificate> leaf(Certificate[] chain) {
        return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
    }

    private static Optional<String> commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    private static boolean startsWithIgnoreCase(String value, String prefix) {
        return value.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
