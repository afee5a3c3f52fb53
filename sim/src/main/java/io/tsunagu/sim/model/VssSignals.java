package io.tsunagu.sim.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps an {@link EvModel}'s state to VSS 6.0 signals, with the catalog's units and datatypes: {@code float}/{@code
 * double} as Double, unsigned integers as Long (rounded, within min/max), {@code boolean} as Boolean. Sign conventions
 * follow the catalog: battery current and power are positive into the battery.
 */
final class VssSignals {
    static final String BATTERY = "Vehicle.Powertrain.TractionBattery.";
    static final String CHARGING = BATTERY + "Charging.";
    private static final String[] DOORS = {
        "Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide"
    };
    private static final String[] WHEELS = {"Row1.Wheel.Left", "Row1.Wheel.Right", "Row2.Wheel.Left", "Row2.Wheel.Right"
    };

    private VssSignals() {}

    static Map<String, Object> of(EvModel car) {
        CarState s = car.state;
        VehicleProfile profile = car.profile();
        Route.Position position = car.route().positionAt(s.routeDistanceM, s.forward);
        double soc = Math.clamp(car.socPercent(), 0, 100);
        boolean charging = car.phase() == EvModel.Phase.CHARGING;
        double consumption = car.consumptionKwhPerKm();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Vehicle.Speed", round(car.speedKmh(), 1));
        out.put("Vehicle.IsMoving", s.speedMs > 0.1);
        out.put("Vehicle.CurrentLocation.Latitude", round(position.lat(), 6));
        out.put("Vehicle.CurrentLocation.Longitude", round(position.lon(), 6));
        out.put("Vehicle.CurrentLocation.Heading", round(position.headingDeg(), 1) % 360);
        out.put("Vehicle.TraveledDistance", Math.round(s.odometerM));
        out.put("Vehicle.Exterior.AirTemperature", round(car.ambientC(), 1));
        out.put("Vehicle.Cabin.HVAC.AmbientAirTemperature", round(s.cabinTempC, 1));
        out.put("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", round(s.climateTargetC, 1));
        out.put("Vehicle.Cabin.HVAC.IsAirConditioningActive", car.climateActive());
        for (String door : DOORS) {
            out.put("Vehicle.Cabin.Door." + door + ".IsLocked", s.doorsLocked);
        }
        boolean flashing = s.hornLightsRemainingS > 0;
        out.put("Vehicle.Body.Horn.IsActive", flashing);
        out.put("Vehicle.Body.Lights.Hazard.IsSignaling", flashing);
        out.put(BATTERY + "StateOfCharge.Current", round(soc, 2));
        out.put(BATTERY + "StateOfCharge.Displayed", round(Math.clamp((soc - 2) / 96 * 100, 0, 100), 1));
        out.put(BATTERY + "NetCapacity", Math.round(profile.usableCapacityKwh()));
        double voltage = Battery.terminalVoltage(profile, soc, s.currentA);
        out.put(BATTERY + "CurrentVoltage", round(voltage, 1));
        out.put(BATTERY + "CurrentCurrent", round(s.currentA, 1));
        out.put(BATTERY + "CurrentPower", round(s.batteryPowerW, 0));
        out.put(BATTERY + "Temperature.Average", round(s.batteryTempC, 1));
        double batteryRangeM = s.energyKwh / consumption * 1_000;
        out.put(BATTERY + "Range", Math.round(batteryRangeM));
        out.put(CHARGING + "IsCharging", charging);
        out.put(CHARGING + "ChargingPort.AnyPosition.IsChargingCableConnected", s.cableConnected);
        out.put(CHARGING + "ChargingPort.AnyPosition.IsFlapOpen", s.chargePortOpen);
        out.put(CHARGING + "ChargeLimit", (long) s.chargeLimitPercent);
        out.put(CHARGING + "ChargeRate", round(charging ? s.chargePowerKw / consumption : 0, 1));
        out.put(CHARGING + "TimeToComplete", timeToCompleteS(car, soc, charging));
        for (int i = 0; i < Tyres.COUNT; i++) {
            out.put(
                    "Vehicle.Chassis.Axle." + WHEELS[i] + ".Tire.Pressure",
                    Math.round(car.tyres().pressureKpa(i)));
        }
        double fuelRangeM = 0;
        if (profile.rangeExtender().isPresent()) {
            VehicleProfile.RangeExtender rex = profile.rangeExtender().get();
            fuelRangeM = s.fuelLitres / rex.litresPerKwh() / consumption * 1_000;
            out.put(
                    "Vehicle.Powertrain.FuelSystem.RelativeLevel",
                    Math.round(s.fuelLitres / rex.fuelTankLitres() * 100));
            out.put("Vehicle.Powertrain.FuelSystem.Range", Math.round(fuelRangeM));
            out.put("Vehicle.Powertrain.CombustionEngine.IsRunning", s.engineRunning);
        }
        out.put("Vehicle.Powertrain.Range", Math.round(batteryRangeM + fuelRangeM));
        return out;
    }

    private static long timeToCompleteS(EvModel car, double soc, boolean charging) {
        if (!charging || car.state.chargePowerKw <= 0) {
            return 0;
        }
        double missingKwh = Math.max(0, car.state.chargeLimitPercent - soc)
                / 100
                * car.profile().usableCapacityKwh();
        return Math.round(missingKwh / car.state.chargePowerKw * 3_600);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
