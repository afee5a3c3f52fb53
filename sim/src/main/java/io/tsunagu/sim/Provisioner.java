package io.tsunagu.sim;

import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.protocol.Vin;
import io.tsunagu.sim.model.VehicleProfile;

/**
 * Registers a simulated car with the cloud and returns the credentials it connects with (a client certificate with
 * CN = VIN issued by the fleet CA, its key, and the CA to trust). The app implements it against the server's registry.
 */
@FunctionalInterface
public interface Provisioner {
    /** Registers {@code vin} (idempotent: a restarted simulator provisions the same VINs again). */
    AgentCredentials provision(Vin vin, VehicleProfile profile);
}
