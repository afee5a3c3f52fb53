package io.tsunagu.sim.model;

/** The mutable state of one {@link EvModel}; SI units unless the name says otherwise. */
final class CarState {
    EvModel.Phase phase = EvModel.Phase.PARKED;
    double speedMs;
    double routeDistanceM;
    boolean forward = true;
    double odometerM;
    double energyKwh;
    double batteryPowerW; // positive = into the battery (VSS sign convention)
    double currentA; // positive = into the battery
    double batteryTempC;
    double cabinTempC;
    double fuelLitres;
    boolean engineRunning;
    double parkRemainingS;
    boolean cableConnected;
    EvModel.ChargeType chargeType = EvModel.ChargeType.AC;
    int chargeLimitPercent = 80;
    double chargePowerKw; // into the battery
    double tripEnergyKwh;
    double tripDistanceM;
    // Remote-controllable state (commands); none of it draws on the random stream, so seeds keep their trajectories.
    boolean doorsLocked = true;
    boolean climateOn; // remote climate while parked or charging; HVAC always runs while driving
    double climateTargetC = 21;
    boolean chargePortOpen;
    double hornLightsRemainingS;
}
