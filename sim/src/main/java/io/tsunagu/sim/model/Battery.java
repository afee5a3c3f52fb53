package io.tsunagu.sim.model;

/**
 * Battery electrics and thermals for one pack: open-circuit voltage of an NMC cell against SoC, terminal current
 * from power (with I·R sag), the DC fast-charge power curve, and a lumped thermal mass heated by I²R and cooled
 * towards ambient (passively, and actively above 32 °C as a liquid-cooled pack would be).
 */
final class Battery {
    // Open-circuit voltage of an NMC cell (V) at SoC 0, 5, 10, 20, ... 100 % (typical published curve shape).
    private static final double[] SOC_POINTS = {0, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    private static final double[] OCV_POINTS = {3.00, 3.30, 3.45, 3.55, 3.62, 3.67, 3.72, 3.79, 3.88, 3.97, 4.07, 4.18};
    private static final double PACK_KG_PER_KWH = 6.5;
    private static final double SPECIFIC_HEAT_J_PER_KG_K = 1_000;
    private static final double PASSIVE_W_PER_K = 25;
    private static final double ACTIVE_COOLING_START_C = 32;
    private static final double ACTIVE_COOLING_W_PER_K = 1_200;
    private static final double ACTIVE_COOLING_MAX_W = 7_000;

    private Battery() {}

    /** Open-circuit voltage of one cell at {@code socPercent}. */
    static double cellOcv(double socPercent) {
        double soc = Math.clamp(socPercent, 0, 100);
        for (int i = 1; i < SOC_POINTS.length; i++) {
            if (soc <= SOC_POINTS[i]) {
                double f = (soc - SOC_POINTS[i - 1]) / (SOC_POINTS[i] - SOC_POINTS[i - 1]);
                return OCV_POINTS[i - 1] + f * (OCV_POINTS[i] - OCV_POINTS[i - 1]);
            }
        }
        return OCV_POINTS[OCV_POINTS.length - 1];
    }

    /**
     * The pack current (A, positive into the battery) for a power flow (W, positive into the battery), solving {@code
     * P = (OCV + I·R)·I}.
     */
    static double currentA(VehicleProfile profile, double socPercent, double powerW) {
        double ocv = cellOcv(socPercent) * profile.seriesCells();
        double r = profile.packResistanceOhm();
        double discriminant = Math.max(0, ocv * ocv + 4 * r * powerW);
        return (-ocv + Math.sqrt(discriminant)) / (2 * r);
    }

    /** Terminal voltage (V) at a current (A, positive into the battery). */
    static double terminalVoltage(VehicleProfile profile, double socPercent, double currentA) {
        return cellOcv(socPercent) * profile.seriesCells() + currentA * profile.packResistanceOhm();
    }

    /**
     * DC fast-charge power at the pack (kW): full power up to the taper knee, then falling linearly to 10 % of peak at
     * 100 % SoC, the constant-current / constant-voltage shape of real charging curves.
     */
    static double dcPowerKw(VehicleProfile profile, double socPercent) {
        double knee = profile.dcTaperStartSocPercent();
        if (socPercent <= knee) {
            return profile.maxDcPowerKw();
        }
        double f = Math.min(1, (socPercent - knee) / (100 - knee));
        return profile.maxDcPowerKw() * (1 - 0.9 * f);
    }

    /** AC charge power (kW): the on-board charger's limit, tapering in the last 5 %. */
    static double acPowerKw(VehicleProfile profile, double socPercent) {
        double taper = socPercent <= 95 ? 1 : Math.max(0.3, (100 - socPercent) / 5);
        return profile.maxAcPowerKw() * taper;
    }

    /** The pack temperature after {@code dt} seconds with {@code currentA} flowing, at ambient {@code ambientC}. */
    static double nextTemperature(
            VehicleProfile profile, double temperatureC, double currentA, double ambientC, double dt) {
        double heatW = currentA * currentA * profile.packResistanceOhm();
        double passiveW = PASSIVE_W_PER_K * (temperatureC - ambientC);
        double activeW = temperatureC > ACTIVE_COOLING_START_C
                ? Math.min(ACTIVE_COOLING_MAX_W, ACTIVE_COOLING_W_PER_K * (temperatureC - ACTIVE_COOLING_START_C))
                : 0;
        double heatCapacity = profile.usableCapacityKwh() * PACK_KG_PER_KWH * SPECIFIC_HEAT_J_PER_KG_K;
        return temperatureC + (heatW - passiveW - activeW) * dt / heatCapacity;
    }
}
