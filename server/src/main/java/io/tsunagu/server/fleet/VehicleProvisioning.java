package io.tsunagu.server.fleet;

import io.tsunagu.protocol.Vin;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;

/**
 * Registers vehicles together with their credentials: the registry entry, a client certificate from the CA, and the
 * certificate's serial recorded as trusted. The private key goes to the caller once and is never stored.
 */
public final class VehicleProvisioning {
    /** Default lifetime of a vehicle certificate; vehicles renew with {@link #reissue}. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    private final VehicleRegistry registry;
    private final CertificateAuthority authority;
    private final Duration validity;

    public VehicleProvisioning(VehicleRegistry registry, CertificateAuthority authority, Duration validity) {
        this.registry = registry;
        this.authority = authority;
        this.validity = validity;
    }

    public VehicleProvisioning(VehicleRegistry registry, CertificateAuthority authority) {
        this(registry, authority, DEFAULT_VALIDITY);
    }

    /**
     * Registers a vehicle and issues its first certificate.
     *
     * @throws FleetException {@code vehicle_exists} or {@code invalid_vehicle} as {@link VehicleRegistry#register}
     */
    public Provisioned register(Vin vin, String model, String owner, Set<String> tags) {
        registry.register(vin, model, owner, tags);
        IssuedCredentials credentials = issue(vin);
        return new Provisioned(registry.find(vin).orElseThrow(), credentials);
    }

    /**
     * Issues an additional certificate for a registered vehicle (new key pair). Earlier certificates stay valid until
     * they expire or the vehicle is revoked.
     *
     * @throws FleetException {@code vehicle_not_found} or {@code vehicle_revoked}
     */
    public IssuedCredentials reissue(Vin vin) {
        Vehicle vehicle = registry.find(vin)
                .orElseThrow(() ->
                        new FleetException(FleetException.VEHICLE_NOT_FOUND, "vehicle " + vin + " is not registered"));
        if (vehicle.revoked()) {
            throw new FleetException(
                    FleetException.VEHICLE_REVOKED, "vehicle " + vin + " is revoked and gets no new certificates");
        }
        return issue(vin);
    }

    private IssuedCredentials issue(Vin vin) {
        IssuedCredentials credentials = authority.issueVehicle(vin, validity);
        X509Certificate certificate = PemKeys.certificate(credentials.certificatePem());
        registry.recordCertificate(
                vin,
                credentials.serial(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
        return credentials;
    }
}
