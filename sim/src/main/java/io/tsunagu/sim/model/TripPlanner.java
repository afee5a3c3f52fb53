package io.tsunagu.sim.model;

import java.util.SplittableRandom;

/**
 * What a driver does at the end of a trip: fast-charge when the battery is low, plug in at home or work sometimes,
 * otherwise just park for a while; a hybrid driver refuels when the tank runs low.
 */
final class TripPlanner {
    private TripPlanner() {}

    static void endTrip(EvModel car) {
        SplittableRandom random = car.random();
        CarState state = car.state;
        state.speedMs = 0;
        state.engineRunning = false;
        state.doorsLocked = true; // the driver locks up and switches the car off
        state.climateOn = false;
        VehicleProfile profile = car.profile();
        double soc = car.socPercent();
        profile.rangeExtender().ifPresent(rex -> {
            if (state.fuelLitres < rex.fuelTankLitres() * 0.25) {
                car.refuel();
            }
        });
        if (soc < 35 && !profile.hybrid()) {
            car.plugIn(EvModel.ChargeType.DC, 80);
        } else if (soc < 70 && random.nextDouble() < 0.5) {
            car.plugIn(EvModel.ChargeType.AC, profile.hybrid() ? 100 : 90);
        } else {
            car.parkFor(random.nextDouble(900, 10_800));
        }
    }
}
