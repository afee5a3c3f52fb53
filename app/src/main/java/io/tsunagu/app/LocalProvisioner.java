package io.tsunagu.app;

import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.command.CommandKey;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.FleetCommandKey;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.VehicleProvisioning;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.sim.Provisioner;
import io.tsunagu.sim.model.VehicleProfile;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Provisions simulated cars in the same process as the server: registers a new VIN, or issues a fresh certificate
 * for a VIN registered by an earlier run on the same data directory.
 */
final class LocalProvisioner implements Provisioner {
    static final String OWNER = "demo-owner";

    private final VehicleRegistry registry;
    private final VehicleProvisioning provisioning;
    private final CommandKey fleetKey;

    LocalProvisioner(VehicleRegistry registry, VehicleProvisioning provisioning, FleetCommandKey fleetKey) {
        this.registry = registry;
        this.provisioning = provisioning;
        this.fleetKey = new CommandKey(fleetKey.keyId(), fleetKey.publicKey());
    }

    @Override
    public Provisioned provisionCar(Vin vin, VehicleProfile profile) {
        return new Provisioned(provision(vin, profile), List.of(fleetKey));
    }

    @Override
    public AgentCredentials provision(Vin vin, VehicleProfile profile) {
        IssuedCredentials issued = registry.find(vin).isPresent()
                ? provisioning.reissue(vin)
                : provisioning
                        .register(vin, "Tsunagu " + profile.name(), OWNER, Set.of("simulated", tag(profile)))
                        .credentials();
        return AgentCredentials.fromPem(issued.certificatePem(), issued.privateKeyPem(), issued.caCertificatePem());
    }

    private static String tag(VehicleProfile profile) {
        return profile.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    }
}
