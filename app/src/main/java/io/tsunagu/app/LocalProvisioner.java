package io.tsunagu.app;

import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.command.CommandKey;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.FleetCommandKey;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.VehicleProvisioning;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.update.uptane.UptaneRepositories;
import io.tsunagu.server.update.uptane.VehicleEcu;
import io.tsunagu.sim.FleetUpdates;
import io.tsunagu.sim.Provisioner;
import io.tsunagu.sim.model.VehicleProfile;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    private final Optional<UptaneRepositories> uptane;

    LocalProvisioner(VehicleRegistry registry, VehicleProvisioning provisioning, FleetCommandKey fleetKey) {
        this(registry, provisioning, fleetKey, Optional.empty());
    }

    /**
     * With {@code uptane}, every car also gets the simulated fleet's one ECU in its inventory (so the director can
     * bind images to it) and the Uptane roots it trusts from manufacture.
     */
    LocalProvisioner(
            VehicleRegistry registry,
            VehicleProvisioning provisioning,
            FleetCommandKey fleetKey,
            Optional<UptaneRepositories> uptane) {
        this.registry = registry;
        this.provisioning = provisioning;
        this.fleetKey = new CommandKey(fleetKey.keyId(), fleetKey.publicKey());
        this.uptane = uptane;
    }

    @Override
    public Provisioned provisionCar(Vin vin, VehicleProfile profile) {
        AgentCredentials credentials = provision(vin, profile);
        Optional<UpdateRoots> roots = uptane.map(u -> {
            u.ecus().put(vin, new VehicleEcu(FleetUpdates.ECU.value(), FleetUpdates.SIM_HARDWARE_ID, true));
            return new UpdateRoots(
                    u.director().newestRoot().toJsonBytes(),
                    u.image().newestRoot().toJsonBytes());
        });
        return new Provisioned(credentials, List.of(fleetKey), roots);
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
