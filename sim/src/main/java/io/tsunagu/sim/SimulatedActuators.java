package io.tsunagu.sim;

import io.tsunagu.agent.command.ActionOutcome;
import io.tsunagu.agent.command.ActuatorHandler;
import io.tsunagu.agent.command.CommandActions;
import io.tsunagu.sim.model.EvModel;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out commands on a simulated car: parses and checks the parameters, changes the {@link EvModel}, and then
 * records a frame at once (through {@code snapshots}) so that the cloud sees the new state without waiting for the
 * next tick; {@code refresh} does only that.
 *
 * <p>Threading: commands run on the agent's command thread while the fleet's ticks step the model on theirs, so every
 * action holds the model's monitor, the same lock {@link FleetSimulator} ticks under.
 */
public final class SimulatedActuators implements ActuatorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedActuators.class);
    /** Cabin setpoints a real HVAC panel offers, °C. */
    static final double MIN_TEMPERATURE_C = 15;

    static final double MAX_TEMPERATURE_C = 30;
    /** Charge limits a real car accepts, percent. */
    static final int MIN_LIMIT_PERCENT = 50;

    static final int MAX_LIMIT_PERCENT = 100;

    private final EvModel model;
    private final Consumer<EvModel> snapshots;

    /**
     * @param snapshots records one frame of the model's current signals; called while the model's monitor is held
     */
    public SimulatedActuators(EvModel model, Consumer<EvModel> snapshots) {
        this.model = model;
        this.snapshots = snapshots;
    }

    @Override
    public ActionOutcome execute(String action, Map<String, String> params) {
        synchronized (model) {
            ActionOutcome outcome = apply(action, params);
            if (outcome instanceof ActionOutcome.Executed) {
                snapshot();
            }
            return outcome;
        }
    }

    private ActionOutcome apply(String action, Map<String, String> params) {
        return switch (action) {
            case CommandActions.DOORS_LOCK -> done(() -> model.lockDoors(true));
            case CommandActions.DOORS_UNLOCK -> done(() -> model.lockDoors(false));
            case CommandActions.CLIMATE_START -> startClimate(params);
            case CommandActions.CLIMATE_STOP -> done(model::stopClimate);
            case CommandActions.CHARGING_START -> startCharging();
            case CommandActions.CHARGING_STOP -> done(model::stopCharging);
            case CommandActions.CHARGING_SET_LIMIT -> setLimit(params);
            case CommandActions.CHARGE_PORT_OPEN -> done(model::openChargePort);
            case CommandActions.HORN_LIGHTS_FLASH -> done(model::flashHornAndLights);
            case CommandActions.WAKE, CommandActions.REFRESH -> ActionOutcome.executed(); // always awake
            default ->
                ActionOutcome.failed(ActionOutcome.UNSUPPORTED_ACTION, "the simulated car cannot '" + action + "'");
        };
    }

    /** The action took effect whether or not the frame could be recorded (the agent may be closing). */
    private void snapshot() {
        try {
            snapshots.accept(model);
        } catch (RuntimeException e) {
            LOG.debug("no frame recorded after a command: {}", e.toString());
        }
    }

    private ActionOutcome startClimate(Map<String, String> params) {
        double targetC;
        try {
            targetC = Double.parseDouble(params.getOrDefault(CommandActions.TEMPERATURE_C, "21"));
        } catch (NumberFormatException e) {
            return invalid("temperature_c is not a number: '" + params.get(CommandActions.TEMPERATURE_C) + "'");
        }
        if (!(targetC >= MIN_TEMPERATURE_C && targetC <= MAX_TEMPERATURE_C)) {
            return invalid("temperature_c must be " + MIN_TEMPERATURE_C + "-" + MAX_TEMPERATURE_C + ", got " + targetC);
        }
        model.startClimate(targetC);
        return ActionOutcome.executed();
    }

    private ActionOutcome startCharging() {
        return switch (model.startCharging()) {
            case STARTED -> ActionOutcome.executed();
            case ALREADY_CHARGING -> ActionOutcome.executed("already charging");
            case NOT_PLUGGED_IN -> ActionOutcome.failed("not_plugged_in", "no charging cable is connected");
            case AT_LIMIT ->
                ActionOutcome.failed(
                        "charge_limit_reached",
                        "state of charge is at the charge limit of " + model.chargeLimitPercent() + " %");
        };
    }

    private ActionOutcome setLimit(Map<String, String> params) {
        String raw = params.getOrDefault(CommandActions.LIMIT_PERCENT, "");
        int limit;
        try {
            limit = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            return invalid("limit_percent must be a whole number, got '" + raw + "'");
        }
        if (limit < MIN_LIMIT_PERCENT || limit > MAX_LIMIT_PERCENT) {
            return invalid("limit_percent must be " + MIN_LIMIT_PERCENT + "-" + MAX_LIMIT_PERCENT + ", got " + limit);
        }
        model.setChargeLimit(limit);
        return ActionOutcome.executed();
    }

    private static ActionOutcome done(Runnable change) {
        change.run();
        return ActionOutcome.executed();
    }

    private static ActionOutcome invalid(String message) {
        return ActionOutcome.failed(ActionOutcome.INVALID_PARAMS, message);
    }
}
