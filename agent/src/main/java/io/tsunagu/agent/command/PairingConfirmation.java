package io.tsunagu.agent.command;

/**
 * The in-car confirmation of a {@code keys.pair} command: someone inside the car (with a key card, on the head unit)
 * approves that a new user key may command it. Only after it approved does the car trust the key, so a server that
 * signs a pairing with the fleet key cannot add a key of its own without someone in the car.
 */
@FunctionalInterface
public interface PairingConfirmation {
    /** Approves every pairing (a simulated car). */
    PairingConfirmation APPROVE = keyId -> true;

    /** Declines every pairing (a car without a confirmation UI): the safe default. */
    PairingConfirmation DECLINE = keyId -> false;

    /** Asks in the car; may block until answered. True to trust the key. */
    boolean confirm(String keyId);
}
