package io.tsunagu.server.update.rollout;

/**
 * A car is offered its action only while its twin says it is parked: {@code Vehicle.Speed} is 0, {@code
 * Vehicle.Powertrain.TractionBattery.Charging.IsCharging} is false, and {@code
 * Vehicle.Powertrain.TractionBattery.StateOfCharge.Current} is at least {@code minStateOfChargePct}. A signal the twin
 * has never seen fails the gate (safe default: no update on unknown state).
 */
public record ParkedGate(int minStateOfChargePct) {
    public static final String SPEED = "Vehicle.Speed";
    public static final String IS_CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.IsCharging";
    public static final String STATE_OF_CHARGE = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";

    public ParkedGate {
        if (minStateOfChargePct < 0 || minStateOfChargePct > 100) {
            throw RolloutException.invalid(
                    "invalid_gate", "minStateOfChargePct must be 0..100, got " + minStateOfChargePct);
        }
    }
}
