package io.tsunagu.agent.command;

/**
 * The action names of the command contract between cloud and car; parameter values travel as strings. Key management
 * ({@link #KEYS_PAIR}, {@link #KEYS_REVOKE}) is handled by the {@link CommandExecutor} itself, everything else by the
 * {@link ActuatorHandler}.
 */
public final class CommandActions {
    public static final String DOORS_LOCK = "doors.lock";
    public static final String DOORS_UNLOCK = "doors.unlock";
    /** Parameter {@value #TEMPERATURE_C}: the cabin setpoint in °C. */
    public static final String CLIMATE_START = "climate.start";

    public static final String CLIMATE_STOP = "climate.stop";
    /** Starts charging; fails with {@code not_plugged_in} without a cable. */
    public static final String CHARGING_START = "charging.start";

    public static final String CHARGING_STOP = "charging.stop";
    /** Parameter {@value #LIMIT_PERCENT}: the state of charge (percent) at which charging stops. */
    public static final String CHARGING_SET_LIMIT = "charging.set_limit";

    public static final String HORN_LIGHTS_FLASH = "horn_lights.flash";
    public static final String CHARGE_PORT_OPEN = "charge_port.open";
    public static final String WAKE = "wake";
    /** Send a full state snapshot now. */
    public static final String REFRESH = "refresh";
    /**
     * Trust a user key after an in-car confirmation. Parameters {@value #KEY_ID} and {@value #PUBLIC_KEY} (base64 X.509
     * SubjectPublicKeyInfo, Ed25519 or EC P-256).
     */
    public static final String KEYS_PAIR = "keys.pair";
    /** Stop trusting a paired user key for good. Parameter {@value #KEY_ID}. */
    public static final String KEYS_REVOKE = "keys.revoke";

    public static final String TEMPERATURE_C = "temperature_c";
    public static final String LIMIT_PERCENT = "limit_percent";
    public static final String KEY_ID = "key_id";
    public static final String PUBLIC_KEY = "public_key";

    private CommandActions() {}
}
