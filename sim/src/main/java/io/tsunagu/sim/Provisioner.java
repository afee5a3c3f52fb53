package io.tsunagu.sim;

import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.command.CommandKey;
import io.tsunagu.protocol.Vin;
import io.tsunagu.sim.model.VehicleProfile;
import java.util.List;
import java.util.Optional;

/**
 * Registers a simulated car with the cloud and returns the credentials it connects with (a client certificate with
 * CN = VIN issued by the fleet CA, its key, and the CA to trust) and, when the cloud sends commands, the fleet's command
 * key(s). The app implements it against the server's registry.
 */
@FunctionalInterface
public interface Provisioner {
    /** Registers {@code vin} (idempotent: a restarted simulator provisions the same VINs again). */
    AgentCredentials provision(Vin vin, VehicleProfile profile);

    /**
     * Registers {@code vin} and returns everything the car receives. The default has no command keys (the car then
     * refuses every command as {@code unknown_key}); override it to pass on the registration response's {@code
     * commandKey} (decode it with {@link CommandKey#decode}).
     */
    default Provisioned provisionCar(Vin vin, VehicleProfile profile) {
        return new Provisioned(provision(vin, profile), List.of());
    }

    /**
     * What a registered car receives.
     *
     * @param credentials its TLS identity
     * @param commandKeys the fleet keys it executes commands from
     * @param updateRoots the Uptane roots, if the cloud serves updates (the car then runs an update client when the
     *     fleet has {@link FleetUpdates})
     */
    record Provisioned(AgentCredentials credentials, List<CommandKey> commandKeys, Optional<UpdateRoots> updateRoots) {
        public Provisioned {
            commandKeys = List.copyOf(commandKeys);
        }

        /** A car provisioned without Uptane roots: it cannot take updates. */
        public Provisioned(AgentCredentials credentials, List<CommandKey> commandKeys) {
            this(credentials, commandKeys, Optional.empty());
        }
    }

    /**
     * The Uptane roots a car is provisioned with (Uptane: metadata pre-installed at manufacture), raw signed JSON as
     * the registration response carries them.
     */
    record UpdateRoots(byte[] directorRoot, byte[] imageRoot) {
        public UpdateRoots {
            directorRoot = directorRoot.clone();
            imageRoot = imageRoot.clone();
        }

        @Override
        public byte[] directorRoot() {
            return directorRoot.clone();
        }

        @Override
        public byte[] imageRoot() {
            return imageRoot.clone();
        }
    }
}
