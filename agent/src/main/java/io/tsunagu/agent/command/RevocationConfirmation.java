package io.tsunagu.agent.command;

/**
 * The in-car confirmation of a {@code keys.revoke} signed with a fleet key: someone inside the car approves that a
 * paired user key stops commanding it. Without it a server that signs with the fleet key could revoke the user's key
 * and so regain full power over the car (see {@link io.tsunagu.protocol.command.FleetKeyPolicy}). A revocation signed
 * by a paired user key needs no confirmation: it already comes from the car's user.
 */
@FunctionalInterface
public interface RevocationConfirmation {
    /** Approves every fleet-signed revocation (a simulated car). */
    RevocationConfirmation APPROVE = keyId -> true;

    /** Declines every fleet-signed revocation (a car without a confirmation UI): the safe default. */
    RevocationConfirmation DECLINE = keyId -> false;

    /** Asks in the car; may block until answered. True to stop trusting {@code keyId}. */
    boolean confirm(String keyId);
}
