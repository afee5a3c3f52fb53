package io.tsunagu.server.command.internal;

import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.command.CommandException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The actions a car understands, their parameters with limits, their default time to live, and the VSS actuators
 * whose desired value each sets in the twin. TTLs: short for actions whose effect matters only now (lock, flash),
 * longer for ones a sleeping car may still usefully do on waking (charging, key management).
 */
public final class ActionCatalog {
    static final String DOORS = "Vehicle.Cabin.Door.";
    static final List<String> LOCKS = List.of(
            DOORS + "Row1.DriverSide.IsLocked",
            DOORS + "Row1.PassengerSide.IsLocked",
            DOORS + "Row2.DriverSide.IsLocked",
            DOORS + "Row2.PassengerSide.IsLocked");
    static final String CABIN_TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature";
    static final String CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.";
    // IsCharging is a sensor, but it is what the car reports back, so the delta closes when charging really runs.
    static final String IS_CHARGING = CHARGING + "IsCharging";
    static final String CHARGE_LIMIT = CHARGING + "ChargeLimit";
    static final String CHARGE_FLAP = CHARGING + "ChargingPort.AnyPosition.IsFlapOpen";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

    /** One parameter: its name and how a text value is checked and normalised. */
    record Param(String name, Function<String, String> normalise) {}

    /**
     * One action.
     *
     * @param desired the twin's desired values it implies, computed from the normalised parameters
     */
    public record Action(
            String name,
            Duration defaultTtl,
            List<Param> params,
            Function<Map<String, String>, Map<String, SignalValue>> desired) {}

    private final Map<String, Action> actions = new LinkedHashMap<>();

    public ActionCatalog() {
        add("doors.lock", Duration.ofMinutes(2), List.of(), p -> locks(true));
        add("doors.unlock", Duration.ofMinutes(2), List.of(), p -> locks(false));
        add(
                "climate.start",
                Duration.ofMinutes(5),
                List.of(new Param("temperature_c", v -> decimal("temperature_c", v, 15, 30))),
                p -> Map.of(CABIN_TEMPERATURE, SignalValue.of(Double.parseDouble(p.get("temperature_c")))));
        add("climate.stop", Duration.ofMinutes(5), List.of(), p -> Map.of());
        add("charging.start", Duration.ofMinutes(10), List.of(), p -> Map.of(IS_CHARGING, SignalValue.of(true)));
        add("charging.stop", Duration.ofMinutes(10), List.of(), p -> Map.of(IS_CHARGING, SignalValue.of(false)));
        add(
                "charging.set_limit",
                Duration.ofMinutes(10),
                List.of(new Param("limit_percent", v -> integer("limit_percent", v, 50, 100))),
                p -> Map.of(CHARGE_LIMIT, SignalValue.of(Double.parseDouble(p.get("limit_percent")))));
        add("horn_lights.flash", Duration.ofMinutes(1), List.of(), p -> Map.of());
        add("charge_port.open", Duration.ofMinutes(2), List.of(), p -> Map.of(CHARGE_FLAP, SignalValue.of(true)));
        add("wake", Duration.ofMinutes(10), List.of(), p -> Map.of());
        add("refresh", Duration.ofMinutes(2), List.of(), p -> Map.of());
        add(
                "keys.pair",
                Duration.ofMinutes(10),
                List.of(new Param("key_id", ActionCatalog::keyId), new Param("public_key", ActionCatalog::publicKey)),
                p -> Map.of());
        // Signed by a paired user key it runs at once; signed by the fleet key someone in the car must confirm it.
        add("keys.revoke", Duration.ofMinutes(10), List.of(new Param("key_id", ActionCatalog::keyId)), p -> Map.of());
    }

    private void add(
            String name,
            Duration ttl,
            List<Param> params,
            Function<Map<String, String>, Map<String, SignalValue>> desired) {
        actions.put(name, new Action(name, ttl, params, desired));
    }

    /** Action names in catalogue order. */
    public Set<String> names() {
        return actions.keySet();
    }

    public Optional<Action> find(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    /**
     * Checks every parameter (all required, none unknown) and returns them normalised, sorted by name.
     *
     * @throws CommandException {@code unknown_action} or {@code invalid_param}
     */
    public Map<String, String> validate(String action, Map<String, String> params) {
        Action spec = find(action)
                .orElseThrow(() -> CommandException.invalid(
                        "unknown_action", "unknown action '" + action + "'; known: " + String.join(", ", names())));
        Map<String, String> out = new TreeMap<>();
        for (Param param : spec.params()) {
            String value = params.get(param.name());
            if (value == null) {
                throw CommandException.invalid(
                        "invalid_param", "action '" + action + "' needs parameter '" + param.name() + "'");
            }
            out.put(param.name(), param.normalise().apply(value));
        }
        for (String name : params.keySet()) {
            if (!out.containsKey(name)) {
                throw CommandException.invalid(
                        "invalid_param", "action '" + action + "' takes no parameter '" + name + "'");
            }
        }
        return out;
    }

    private static Map<String, SignalValue> locks(boolean locked) {
        Map<String, SignalValue> values = new LinkedHashMap<>();
        LOCKS.forEach(path -> values.put(path, SignalValue.of(locked)));
        return values;
    }

    private static String decimal(String name, String text, double min, double max) {
        BigDecimal value = number(name, text);
        if (value.doubleValue() < min || value.doubleValue() > max) {
            throw range(name, text, min + ".." + max);
        }
        return value.stripTrailingZeros().toPlainString();
    }

    private static String integer(String name, String text, int min, int max) {
        BigDecimal value = number(name, text);
        if (value.stripTrailingZeros().scale() > 0) {
            throw CommandException.invalid("invalid_param", "'" + name + "' must be a whole number, got " + text);
        }
        if (value.intValue() < min || value.intValue() > max || value.abs().compareTo(BigDecimal.valueOf(1000)) > 0) {
            throw range(name, text, min + ".." + max);
        }
        return Integer.toString(value.intValue());
    }

    private static BigDecimal number(String name, String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw CommandException.invalid("invalid_param", "'" + name + "' must be a number, got '" + text + "'");
        }
    }

    private static CommandException range(String name, String text, String range) {
        return CommandException.invalid("invalid_param", "'" + name + "' must be within " + range + ", got " + text);
    }

    private static String keyId(String text) {
        if (!KEY_ID.matcher(text).matches() || text.startsWith("fleet")) {
            throw CommandException.invalid(
                    "invalid_param",
                    "'key_id' must be 1-64 characters of A-Z a-z 0-9 : . _ - and not start with 'fleet', got '" + text
                            + "'");
        }
        return text;
    }

    private static String publicKey(String text) {
        try {
            return CommandKeys.encode(CommandKeys.decode(text.strip()));
        } catch (RuntimeException e) {
            throw CommandException.invalid(
                    "invalid_param", "'public_key' must be a base64 X.509 Ed25519 or EC P-256 key: " + e.getMessage());
        }
    }
}
