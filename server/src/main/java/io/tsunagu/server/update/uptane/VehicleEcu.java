package io.tsunagu.server.update.uptane;

import io.tsunagu.protocol.update.EcuIdentity;

/**
 * One ECU of a car in the server's inventory.
 *
 * @param serial Uptane's ECU identifier, unique within the car (1-128 printable ASCII characters, no spaces)
 * @param hardwareId which images fit it (same rules)
 * @param primary whether it is the primary ECU, the one that talks to the server and verifies for the others
 */
public record VehicleEcu(String serial, String hardwareId, boolean primary) {
    public VehicleEcu {
        // The car's verifier applies the same rules; refusing here keeps unusable ECUs out of signed metadata.
        EcuIdentity.of(serial, hardwareId);
    }

    public EcuIdentity identity() {
        return EcuIdentity.of(serial, hardwareId);
    }
}
