package io.tsunagu.protocol.command;

import java.util.Map;

/**
 * What a command signed with a fleet key may do once the car trusts a paired user key.
 *
 * <p>The fleet key's private half lives on the server, so whoever controls the server can sign anything with it. A
 * user who pairs their own key (in-car confirmed) takes that power back: from then on the car refuses a fleet-signed
 * command for every action that changes the car ({@link RefusalReason#FLEET_KEY_NOT_PERMITTED}), and the server, which
 * applies the same rule to its own record of the car's keys, answers such a request early ({@code
 * user_signature_required}). The car is authoritative; the server only mirrors it.
 *
 * <p>Deny by default: only the actions listed here stay open to the fleet key, so an action added later, or one this
 * version does not know, is protected without anyone remembering to list it. Without a paired user key the fleet key
 * may command everything, as before (a car that is not personal, e.g. a simulated or shared car).
 */
public final class FleetKeyPolicy {
    /** What the fleet key may do with one action while a user key is paired. */
    public enum Rule {
        /** Allowed: the action changes nothing a user needs to protect ({@code wake}, {@code refresh}). */
        ALLOWED,
        /**
         * Allowed only after someone in the car confirmed it ({@code keys.pair}, {@code keys.revoke}): otherwise a
         * server could pair a key of its own, or revoke the user's key and so regain full power.
         */
        IN_CAR_CONFIRMATION,
        /** Refused: only a paired user key may sign it. */
        USER_KEY_REQUIRED
    }

    private static final Map<String, Rule> OPEN_TO_FLEET = Map.of(
            "wake", Rule.ALLOWED,
            "refresh", Rule.ALLOWED,
            "keys.pair", Rule.IN_CAR_CONFIRMATION,
            "keys.revoke", Rule.IN_CAR_CONFIRMATION);

    private FleetKeyPolicy() {}

    /** The rule for a fleet-signed {@code action} while the car trusts at least one paired user key. */
    public static Rule rule(String action) {
        return OPEN_TO_FLEET.getOrDefault(action, Rule.USER_KEY_REQUIRED);
    }

    /**
     * True if a command for {@code action} signed with a fleet key may run (subject to any in-car confirmation the
     * action needs).
     *
     * @param userKeyPaired the car trusts at least one paired user key that is not revoked
     */
    public static boolean permits(String action, boolean userKeyPaired) {
        return !userKeyPaired || rule(action) != Rule.USER_KEY_REQUIRED;
    }
}
