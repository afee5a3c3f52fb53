package io.tsunagu.sim.model;

import java.util.Optional;

/**
 * The fixed properties of a simulated car model.
 *
 * @param name a short label, e.g. {@code bev-400v}
 * @param usableCapacityKwh net usable battery energy
 * @param seriesCells cells in series; pack voltage = cells × cell voltage
 * @param packResistanceOhm internal resistance of the whole pack (voltage sag, I²R heat)
 * @param maxDcPowerKw peak DC fast-charge power
 * @param dcTaperStartSocPercent SoC above which DC power tapers towards 10 % of peak at 100 %
 * @param maxAcPowerKw on-board AC charger power
 * @param massKg kerb mass plus driver
 * @param dragAreaM2 drag coefficient × frontal area (Cd·A)
 * @param rollingResistance rolling-resistance coefficient (Crr)
 * @param maxMotorPowerKw peak traction power
 * @param maxRegenPowerKw peak regenerative braking power
 * @param rangeExtender the generator and fuel tank of a series hybrid; empty for a pure BEV
 */
public record VehicleProfile(
        String name,
        double usableCapacityKwh,
        int seriesCells,
        double packResistanceOhm,
        double maxDcPowerKw,
        double dcTaperStartSocPercent,
        double maxAcPowerKw,
        double massKg,
        double dragAreaM2,
        double rollingResistance,
        double maxMotorPowerKw,
        double maxRegenPowerKw,
        Optional<RangeExtender> rangeExtender) {

    /** A mid-size 400 V BEV: 75 kWh usable, 96s NMC (≈ 355 V nominal, 400 V full), 150 kW DC. */
    public static final VehicleProfile BEV_400V =
            new VehicleProfile("bev-400v", 75, 96, 0.08, 150, 55, 11, 2_050, 0.62, 0.009, 220, 90, Optional.empty());

    /** A larger 800 V BEV: 84 kWh usable, 192s (≈ 710 V nominal, 800 V full), 270 kW DC that holds longer. */
    public static final VehicleProfile BEV_800V =
            new VehicleProfile("bev-800v", 84, 192, 0.16, 270, 60, 11, 2_150, 0.58, 0.0085, 250, 150, Optional.empty());

    /** A series hybrid: 18 kWh pack (96s) and a 40 kW range-extender generator with a 35 l tank. */
    public static final VehicleProfile SERIES_HYBRID = new VehicleProfile(
            "series-hybrid",
            18,
            96,
            0.12,
            50,
            50,
            7.4,
            1_750,
            0.65,
            0.009,
            120,
            50,
            Optional.of(new RangeExtender(40, 35, 0.30, 25, 35)));

    /** The three built-in profiles. */
    public static final java.util.List<VehicleProfile> ALL = java.util.List.of(BEV_400V, BEV_800V, SERIES_HYBRID);

    /** Whether the car has a range-extender generator. */
    public boolean hybrid() {
        return rangeExtender.isPresent();
    }

    /**
     * A series hybrid's generator: it starts below {@code startSocPercent} and stops above {@code stopSocPercent}.
     *
     * @param generatorPowerKw electrical output while running
     * @param fuelTankLitres tank size
     * @param litresPerKwh fuel burnt per kWh of electricity (≈ 0.3 l/kWh for a good generator)
     * @param startSocPercent SoC below which the generator starts
     * @param stopSocPercent SoC above which it stops
     */
    public record RangeExtender(
            double generatorPowerKw,
            double fuelTankLitres,
            double litresPerKwh,
            double startSocPercent,
            double stopSocPercent) {}
}
