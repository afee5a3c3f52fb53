package io.tsunagu.server.api;

import io.helidon.webserver.http.ServerRequest;
import io.tsunagu.protocol.InvalidVinException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.VehicleRegistry;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who calls a car-facing route: a car by the client certificate it presented on the HTTPS listener (verified there
 * against the fleet CA; here its CN must be a VIN and its serial that car's current, unrevoked certificate, the same
 * rule as for MQTT), or else an API user by bearer token.
 */
final class CarCertificates {
    /** Exactly one of {@code car} and {@code user} is present. */
    record Caller(Optional<Vin> car, Optional<Principal> user) {}

    private CarCertificates() {}

    /** The caller; 401 if neither a trusted car certificate nor a valid token is presented. */
    static Caller caller(ServerRequest req, ApiServer api, VehicleRegistry registry) {
        Optional<Vin> car = car(req, registry);
        return car.isPresent()
                ? new Caller(car, Optional.empty())
                : new Caller(Optional.empty(), Optional.of(api.principal(req)));
    }

    private static Optional<Vin> car(ServerRequest req, VehicleRegistry registry) {
        Optional<Certificate[]> chain = req.remotePeer().tlsCertificates();
        if (chain.isEmpty() || chain.get().length == 0 || !(chain.get()[0] instanceof X509Certificate cert)) {
            return Optional.empty();
        }
        return commonName(cert)
                .flatMap(CarCertificates::vin)
                .filter(vin -> registry.certificateTrusted(vin, cert.getSerialNumber()));
    }

    private static Optional<Vin> vin(String cn) {
        try {
            return Optional.of(Vin.of(cn));
        } catch (InvalidVinException e) {
            return Optional.empty();
        }
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
}
